import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readyLine, waitUntilReady } from './ready-banner.ts';

/** A server whose /health/ready answers 503 until `ready()` is called. */
async function service() {
  let isReady = false;
  const server = http.createServer((_req, res) => {
    res.statusCode = isReady ? 200 : 503;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/health/ready`,
    ready: () => (isReady = true),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('npm start readiness line', () => {
  test('waits until every process answers its readiness check', async () => {
    const a = await service();
    const b = await service();
    a.ready();
    const waiting = waitUntilReady(
      [
        { name: 'a', url: a.url },
        { name: 'b', url: b.url },
      ],
      { intervalMs: 20 },
    );
    let settled = false;
    void waiting.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toBe(false);
    b.ready();
    await expect(waiting).resolves.toBe(true);
    await Promise.all([a.close(), b.close()]);
  });

  test('gives up without announcing when stopped first', async () => {
    const stop = new AbortController();
    const waiting = waitUntilReady([{ name: 'down', url: 'http://127.0.0.1:9/health/ready' }], {
      intervalMs: 20,
      signal: stop.signal,
    });
    stop.abort();
    await expect(waiting).resolves.toBe(false);
  });

  test('names the gateway, the web app and every metrics endpoint', () => {
    expect(
      readyLine({
        gateway: 'http://localhost:4000/graphql',
        web: 'http://localhost:5173',
        metrics: ['http://localhost:4001/metrics'],
      }),
    ).toBe(
      'ready: gateway http://localhost:4000/graphql, web app http://localhost:5173, metrics http://localhost:4001/metrics (Ctrl-C stops everything)',
    );
  });
});
