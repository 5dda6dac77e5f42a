// A small TCP round-robin for local replicas (`REPLICAS=2 npm start`): each new connection goes to
// the next backend that accepts it, so HTTP, keep-alive and WebSocket upgrades all pass through
// untouched. A backend that refuses a connection is skipped for a moment and the connection tries
// the next one, so a replica that died or restarts costs its own open connections only. In
// production a Kubernetes Service (or any L4 balancer) plays this part.
//
//   node scripts/round-robin.ts <listen-port> <backend-port> [<backend-port>...]
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/** One backend: where it listens. */
export interface Backend {
  host: string;
  port: number;
}

/** A running round-robin. */
export interface RoundRobin {
  port: number;
  /** Open client connections (tests and logs). */
  readonly connections: number;
  close(): Promise<void>;
}

/** How long a backend that refused a connection is left out of the rotation. */
const COOL_DOWN_MS = 1_000;
const CONNECT_TIMEOUT_MS = 2_000;

/** Listens on `port` (0: a free one) and spreads connections over `backends` in turn. */
export async function startRoundRobin(options: {
  port: number;
  backends: Backend[];
  host?: string;
  onError?: (message: string) => void;
}): Promise<RoundRobin> {
  const { backends } = options;
  if (!backends.length) throw new Error('round-robin: no backends');
  const downUntil = new Map<Backend, number>();
  const sockets = new Set<net.Socket>();
  let next = 0;

  // Backends in rotation order from the next one, those cooling down last (tried only if all are).
  const order = (): Backend[] => {
    const start = next++ % backends.length;
    const rotated = [...backends.slice(start), ...backends.slice(0, start)];
    const now = Date.now();
    return [
      ...rotated.filter((b) => (downUntil.get(b) ?? 0) <= now),
      ...rotated.filter((b) => (downUntil.get(b) ?? 0) > now),
    ];
  };

  const connect = (candidates: Backend[], client: net.Socket): void => {
    const backend = candidates.shift();
    if (!backend) {
      options.onError?.('round-robin: no backend accepted the connection');
      client.destroy();
      return;
    }
    const upstream = net.connect({ host: backend.host, port: backend.port });
    upstream.setTimeout(CONNECT_TIMEOUT_MS, () => upstream.destroy(new Error('connect timeout')));
    const failed = () => {
      downUntil.set(backend, Date.now() + COOL_DOWN_MS);
      if (!client.destroyed) connect(candidates, client);
    };
    upstream.once('error', failed);
    upstream.once('connect', () => {
      upstream.setTimeout(0);
      upstream.off('error', failed);
      downUntil.delete(backend);
      sockets.add(upstream);
      upstream.once('close', () => sockets.delete(upstream));
      // Either side ending or failing ends the other: nothing is left half-open.
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  };

  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    // A client that leaves before a backend answered must not crash the process.
    client.on('error', () => undefined);
    connect(order(), client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return sockets.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// Run as a script: `node scripts/round-robin.ts 4002 4102 4202`.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [listen, ...targets] = process.argv.slice(2).map(Number);
  if (!listen || !targets.length || [listen, ...targets].some((p) => !Number.isInteger(p))) {
    console.error('usage: node scripts/round-robin.ts <listen-port> <backend-port>...');
    process.exit(2);
  }
  const host = process.env.HOST ?? '127.0.0.1';
  const balancer = await startRoundRobin({
    port: listen,
    host,
    backends: targets.map((port) => ({ host, port })),
    onError: (message) => console.error(message),
  });
  console.log(`round-robin: ${host}:${balancer.port} -> ${targets.join(', ')}`);
  const stop = () => void balancer.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
