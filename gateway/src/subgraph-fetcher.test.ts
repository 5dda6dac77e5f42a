import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SubgraphHttp, dedupeQueries, type FetcherInit } from './subgraph-fetcher.ts';

/** A real subgraph stand-in: answers after `delayMs`, echoing the request, and counts requests. */
async function fakeSubgraph(
  answer: (body: string, headers: http.IncomingHttpHeaders) => { status: number; body: string },
  delayMs = 50,
) {
  const seen: { body: string; headers: http.IncomingHttpHeaders }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ body, headers: req.headers });
      setTimeout(() => {
        const { status, body: text } = answer(body, req.headers);
        res.writeHead(status, {
          'content-type': 'application/json',
          'x-seen': String(seen.length),
        });
        res.end(text);
      }, delayMs);
    });
  });
  let sockets = 0;
  server.on('connection', () => sockets++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    url,
    seen,
    sockets: () => sockets,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const QUERY = JSON.stringify({ query: '{ airports { code } }', variables: {} });
const MUTATION = JSON.stringify({ query: 'mutation { login { token } }', variables: {} });
const init = (body: string, headers: Record<string, string> = {}): FetcherInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body,
});

describe('the subgraph HTTP client', () => {
  const client = new SubgraphHttp({ connections: 4 });
  afterAll(() => client.close());

  test('reads status, body and headers case-insensitively; reuses kept-alive sockets', async () => {
    const subgraph = await fakeSubgraph((_body, headers) => {
      return { status: 200, body: JSON.stringify({ data: { ok: true, agent: headers.host } }) };
    }, 0);
    try {
      for (let i = 0; i < 10; i++) {
        const response = await client.fetch(subgraph.url, init(QUERY));
        expect(response.ok).toBe(true);
        expect(response.headers.get('Content-Type')).toBe('application/json');
        expect(await response.json()).toMatchObject({ data: { ok: true } });
      }
      // Ten requests one after the other: the kept-alive socket serves them (undici may open a
      // second one when the next request starts just before the first socket is marked free).
      expect(subgraph.sockets()).toBeLessThanOrEqual(2);
      // Bounded: 10 concurrent requests over at most 4 sockets.
      await Promise.all(Array.from({ length: 10 }, () => client.fetch(subgraph.url, init(QUERY))));
      expect(subgraph.sockets()).toBeLessThanOrEqual(4);
    } finally {
      await subgraph.stop();
    }
  });

  test('an abort signal stops a request the subgraph is too slow to answer', async () => {
    const subgraph = await fakeSubgraph(() => ({ status: 200, body: '{}' }), 500);
    try {
      await expect(
        client.fetch(subgraph.url, { ...init(QUERY), signal: AbortSignal.timeout(50) }),
      ).rejects.toThrow(/abort|timeout/i);
    } finally {
      await subgraph.stop();
    }
  });
});

describe('in-flight deduplication', () => {
  const client = new SubgraphHttp();
  afterAll(() => client.close());

  test('identical concurrent queries share one request; each caller parses its own copy', async () => {
    const subgraph = await fakeSubgraph(() => ({
      status: 200,
      body: JSON.stringify({ data: { airports: [{ code: 'CDG' }] } }),
    }));
    const joins: [unknown, unknown][] = [];
    const fetcher = dedupeQueries(client.read, (leader, waiter) =>
      joins.push([leader.headers?.['x-request-id'], waiter.headers?.['x-request-id']]),
    );
    try {
      const responses = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          fetcher(subgraph.url, init(QUERY, { 'x-request-id': `r${i}`, traceparent: `t${i}` })),
        ),
      );
      expect(subgraph.seen).toHaveLength(1);
      expect(joins).toEqual([1, 2, 3, 4].map((i) => ['r0', `r${i}`]));
      const bodies = await Promise.all(responses.map((r) => r.json()));
      bodies[0].data.airports[0].code = 'changed';
      expect(bodies[1]).toEqual({ data: { airports: [{ code: 'CDG' }] } });
      // Settled: the next identical query goes to the subgraph again.
      await fetcher(subgraph.url, init(QUERY));
      expect(subgraph.seen).toHaveLength(2);
    } finally {
      await subgraph.stop();
    }
  });

  test('two callers with different tokens, bodies or subgraphs never share', async () => {
    const subgraph = await fakeSubgraph((body, headers) => ({
      status: 200,
      body: JSON.stringify({ data: { who: headers.authorization ?? null, body } }),
    }));
    const other = await fakeSubgraph(() => ({ status: 200, body: '{"data":{"other":true}}' }));
    const fetcher = dedupeQueries(client.read);
    try {
      const otherQuery = JSON.stringify({ query: '{ airports { name } }', variables: {} });
      const [alice, bob, anonymous, different, elsewhere] = await Promise.all([
        fetcher(subgraph.url, init(QUERY, { authorization: 'Bearer alice' })),
        fetcher(subgraph.url, init(QUERY, { Authorization: 'Bearer bob' })),
        fetcher(subgraph.url, init(QUERY)),
        fetcher(subgraph.url, init(otherQuery, { authorization: 'Bearer alice' })),
        fetcher(other.url, init(QUERY, { authorization: 'Bearer alice' })),
      ]);
      expect(subgraph.seen).toHaveLength(4);
      expect(other.seen).toHaveLength(1);
      expect((await alice.json()).data.who).toBe('Bearer alice');
      expect((await bob.json()).data.who).toBe('Bearer bob');
      expect((await anonymous.json()).data.who).toBeNull();
      expect((await different.json()).data.body).toBe(otherQuery);
      expect(await elsewhere.json()).toEqual({ data: { other: true } });
    } finally {
      await subgraph.stop();
      await other.stop();
    }
  });

  test('mutations are never shared', async () => {
    const subgraph = await fakeSubgraph(() => ({ status: 200, body: '{"data":{}}' }));
    const fetcher = dedupeQueries(client.read);
    try {
      await Promise.all([1, 2, 3].map(() => fetcher(subgraph.url, init(MUTATION))));
      expect(subgraph.seen).toHaveLength(3);
    } finally {
      await subgraph.stop();
    }
  });

  test('an error answer is replayed to every waiter with its status and body', async () => {
    const subgraph = await fakeSubgraph(() => ({
      status: 400,
      body: JSON.stringify({ errors: [{ message: 'bad date' }] }),
    }));
    const fetcher = dedupeQueries(client.read);
    try {
      const responses = await Promise.all([1, 2, 3].map(() => fetcher(subgraph.url, init(QUERY))));
      expect(subgraph.seen).toHaveLength(1);
      for (const response of responses) {
        expect([response.ok, response.status, response.statusText]).toEqual([
          false,
          400,
          'Bad Request',
        ]);
        expect(await response.json()).toEqual({ errors: [{ message: 'bad date' }] });
      }
    } finally {
      await subgraph.stop();
    }
  });

  test('a failed request fails every waiter and leaves nothing behind', async () => {
    const subgraph = await fakeSubgraph(() => ({ status: 200, body: '{"data":{}}' }));
    const url = subgraph.url;
    await subgraph.stop();
    const fetcher = dedupeQueries(client.read);
    const results = await Promise.allSettled([1, 2].map(() => fetcher(url, init(QUERY))));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const again = await fakeSubgraph(() => ({ status: 200, body: '{"data":{"up":true}}' }), 0);
    try {
      const answer = await fetcher(again.url, init(QUERY));
      expect(await answer.json()).toEqual({ data: { up: true } });
    } finally {
      await again.stop();
    }
  });
});
