import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRoundRobin } from './round-robin.ts';

/** A backend that answers every request with its own name. */
async function backend(name: string): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => res.end(name));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const ask = async (port: number) =>
  (await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } })).text();

describe('round-robin', () => {
  it('spreads connections over the replicas in turn and skips one that is down', async () => {
    const a = await backend('a');
    const b = await backend('b');
    const balancer = await startRoundRobin({
      port: 0,
      backends: [a, b].map(({ port }) => ({ host: '127.0.0.1', port })),
    });
    try {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await ask(balancer.port));
      expect(answers.sort()).toEqual(['a', 'a', 'b', 'b']);

      // A replica that died: every request still gets an answer, from the other one.
      await a.close();
      const after = [];
      for (let i = 0; i < 4; i++) after.push(await ask(balancer.port));
      expect(after).toEqual(['b', 'b', 'b', 'b']);
    } finally {
      await balancer.close();
      await b.close();
    }
  });
});
