// A TCP proxy between the services and one piece of infrastructure (PostgreSQL, Redis or
// RabbitMQ) that can break the way networks and servers do, without touching the real server
// (other engineers and suites share it):
//
// - cut:     every open connection is reset and new ones are refused (reset right after accept)
//            until `restore()`: what a restart, a failover or a dropped network looks like;
// - latency: every chunk in both directions waits before it is passed on.
import net from 'node:net';

/** One proxied dependency. */
export class FaultProxy {
  readonly name: string;
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<net.Socket>();
  #server: net.Server | undefined;
  #cut = false;
  #latencyMs = 0;
  /** Connections reset by `cut()` or refused while cut (how hard the fault hit). */
  resets = 0;

  constructor(name: string, target: { host: string; port: number }) {
    this.name = name;
    this.#target = target;
  }

  /** Listens on a free port. */
  async start(): Promise<number> {
    const server = net.createServer({ pauseOnConnect: true }, (client) => this.#accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    return this.port;
  }

  get port(): number {
    return (this.#server!.address() as net.AddressInfo).port;
  }

  /** Resets every open connection and refuses new ones until `restore()`. */
  cut(): void {
    this.#cut = true;
    for (const socket of this.#sockets) {
      this.resets++;
      socket.resetAndDestroy();
    }
    this.#sockets.clear();
  }

  /** Delays every chunk by `ms` in both directions (0 removes the delay). */
  latency(ms: number): void {
    this.#latencyMs = ms;
  }

  /** Back to a healthy network. */
  restore(): void {
    this.#cut = false;
    this.#latencyMs = 0;
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    await new Promise<void>((resolve) =>
      this.#server ? this.#server.close(() => resolve()) : resolve(),
    );
  }

  #accept(client: net.Socket): void {
    if (this.#cut) {
      this.resets++;
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(this.#target);
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
      // Either end failing ends the pair; the services see a reset, as with a real outage.
      socket.on('error', () => undefined);
    }
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
    this.#pipe(client, upstream);
    this.#pipe(upstream, client);
    client.resume();
  }

  // Per direction, chunks leave in order: each waits for the one before it and for its own delay.
  #pipe(from: net.Socket, to: net.Socket): void {
    let previous = Promise.resolve();
    const write = (chunk: Buffer) => {
      if (!to.destroyed) to.write(chunk);
    };
    from.on('data', (chunk: Buffer) => {
      const due = Date.now() + this.#latencyMs;
      previous = previous.then(() => {
        const wait = due - Date.now();
        if (wait <= 0) return write(chunk);
        return new Promise<void>((resolve) =>
          setTimeout(() => {
            write(chunk);
            resolve();
          }, wait),
        );
      });
    });
    from.on('end', () => void previous.then(() => to.end()));
  }
}
