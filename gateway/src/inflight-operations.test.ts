import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { GraphQLClient, testConfig } from '@airline/shared/testing';
import { Role, TokenService } from '@airline/shared';
import type { GatewayContext } from './auth-forwarding.ts';
import { composeSupergraph } from './compose.ts';
import { inflightOperations } from './inflight-operations.ts';
import { startGateway } from './server.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An Apollo Server with the plugin, whose resolvers count their calls and take `delayMs`. */
async function serverWithPlugin({ delayMs = 100, maxWaitMs = 5_000, failFirst = false } = {}) {
  const calls = { hello: 0, bump: 0 };
  const inflight = inflightOperations({ maxWaitMs });
  // Holds the resolvers until the test has all its requests waiting (a loaded machine may send
  // them slower than a resolver answers).
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const apollo = new ApolloServer<GatewayContext>({
    typeDefs: `type Query { hello(name: String): String }  type Mutation { bump: Int }`,
    resolvers: {
      Query: {
        hello: async (_: unknown, { name }: { name?: string }, ctx: GatewayContext) => {
          const call = ++calls.hello;
          await gate;
          await sleep(delayMs);
          if (failFirst && call === 1) throw new Error('first call fails');
          return `hello ${name ?? 'you'} from ${ctx.authorization ?? 'anonymous'}`;
        },
      },
      Mutation: {
        bump: async () => {
          await sleep(delayMs);
          return ++calls.bump;
        },
      },
    },
    plugins: [inflight.plugin],
    stringifyResult: inflight.stringifyResult,
  });
  const { url } = await startStandaloneServer(apollo, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({
      authorization: req.headers.authorization,
      requestId: 'r',
      clientIp: '127.0.0.1',
    }),
  });
  const client = new GraphQLClient(url);
  /** Opens the gate once `waiters` requests wait for a leader (or at once). */
  const release = async (waiters = 0) => {
    const deadline = Date.now() + 10_000;
    while (inflight.stats().waiters < waiters && Date.now() < deadline) await sleep(10);
    open();
  };
  return { client, calls, inflight, release, stop: () => apollo.stop() };
}

const times = <T>(n: number, fn: (i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: n }, (_, i) => fn(i)));

describe('whole-operation in-flight deduplication', () => {
  test('ten concurrent identical queries run once and all get the answer', async () => {
    const server = await serverWithPlugin();
    try {
      const [answers] = await Promise.all([
        times(10, () =>
          server.client.request('query Hi($n: String) { hello(name: $n) }', { n: 'Ada' }),
        ),
        server.release(9),
      ]);
      expect(server.calls.hello).toBe(1);
      for (const answer of answers)
        expect(answer).toEqual({ data: { hello: 'hello Ada from anonymous' } });
      expect(server.inflight.stats()).toEqual({ leaders: 0, waiters: 0 });
      // Settled: the next one runs again (not a cache).
      await server.client.request('query Hi($n: String) { hello(name: $n) }', { n: 'Ada' });
      expect(server.calls.hello).toBe(2);
    } finally {
      await server.stop();
    }
  });

  test('different tokens or variables never share an execution', async () => {
    const server = await serverWithPlugin();
    try {
      const ask = (token: string, n: string) =>
        server.client.request('query Hi($n: String) { hello(name: $n) }', { n }, { token });
      const [[alice, bob, alice2, other]] = await Promise.all([
        Promise.all([
          ask('alice', 'Ada'),
          ask('bob', 'Ada'),
          ask('alice', 'Ada'),
          ask('alice', 'Grace'),
        ]),
        server.release(1),
      ]);
      expect(server.calls.hello).toBe(3);
      expect(alice.data).toEqual({ hello: 'hello Ada from Bearer alice' });
      expect(alice2).toEqual(alice);
      expect(bob.data).toEqual({ hello: 'hello Ada from Bearer bob' });
      expect(other.data).toEqual({ hello: 'hello Grace from Bearer alice' });
    } finally {
      await server.stop();
    }
  });

  test('an answer with errors is never shared: waiters run their own', async () => {
    const server = await serverWithPlugin({ failFirst: true });
    try {
      const [answers] = await Promise.all([
        times(4, () => server.client.request('{ hello }')),
        server.release(3),
      ]);
      expect(server.calls.hello).toBe(4);
      expect(answers.filter((a) => a.errors)).toHaveLength(1);
      expect(answers.filter((a) => a.data?.hello === 'hello you from anonymous')).toHaveLength(3);
    } finally {
      await server.stop();
    }
  });

  test('mutations always run, each on its own', async () => {
    const server = await serverWithPlugin();
    try {
      const [answers] = await Promise.all([
        times(3, () => server.client.request('mutation { bump }')),
        server.release(),
      ]);
      expect(server.calls.bump).toBe(3);
      expect(answers.map((a) => a.data?.bump).sort()).toEqual([1, 2, 3]);
    } finally {
      await server.stop();
    }
  });

  test('waiters stop waiting after maxWaitMs and run their own', async () => {
    const server = await serverWithPlugin({ delayMs: 300, maxWaitMs: 50 });
    try {
      await Promise.all([times(3, () => server.client.request('{ hello }')), server.release()]);
      expect(server.calls.hello).toBe(3);
    } finally {
      await server.stop();
    }
  });
});

describe('through the gateway', () => {
  test('N concurrent identical queries reach the subgraph once; two tokens never share', async () => {
    const seen: (string | undefined)[] = [];
    const subgraph = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen.push(req.headers.authorization);
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ data: { whoami: req.headers.authorization ?? 'anonymous' } }));
        }, 1_000);
      });
    });
    await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
    const port = (subgraph.address() as AddressInfo).port;
    const sdl = composeSupergraph([
      {
        name: 'demo',
        url: `http://127.0.0.1:${port}/graphql`,
        sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Query { whoami: String }`,
      },
    ]);
    const config = testConfig('inflight');
    const gateway = await startGateway(config, { sdl }, { port: 0 });
    try {
      const tokens = new TokenService(config.jwt);
      const alice = await tokens.sign({ id: 'alice', roles: [Role.CUSTOMER] });
      const bob = await tokens.sign({ id: 'bob', roles: [Role.CUSTOMER] });
      const client = new GraphQLClient(`${gateway.url}/graphql`);
      const answers = await times(10, () => client.request('{ whoami }', {}, { token: alice }));
      expect(seen).toEqual([`Bearer ${alice}`]);
      for (const answer of answers) expect(answer).toEqual({ data: { whoami: `Bearer ${alice}` } });
      seen.length = 0;
      const [a, b] = await Promise.all(
        [alice, bob].map((token) => client.request('{ whoami }', {}, { token })),
      );
      expect(seen.sort()).toEqual([`Bearer ${alice}`, `Bearer ${bob}`].sort());
      expect(a!.data).toEqual({ whoami: `Bearer ${alice}` });
      expect(b!.data).toEqual({ whoami: `Bearer ${bob}` });
    } finally {
      await gateway.stop();
      subgraph.closeAllConnections();
      await new Promise((resolve) => subgraph.close(resolve));
    }
  });
});
