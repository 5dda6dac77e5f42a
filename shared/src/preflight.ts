import net from 'node:net';
import type { Config } from './config.ts';

/** A dependency that is not answering; the message is the one line an operator needs. */
export class InfrastructureError extends Error {
  override name = 'InfrastructureError';
}

interface Dependency {
  name: string;
  url: string;
  defaultPort: number;
  howToStart: string;
}

function dependencies(config: Config): Dependency[] {
  return [
    {
      name: 'PostgreSQL',
      url: config.postgresUrl,
      defaultPort: 5432,
      howToStart:
        'start it (e.g. `pg_ctlcluster 15 main start` or `docker compose up -d postgres`) or set POSTGRES_URL',
    },
    {
      name: 'Redis',
      url: config.redisUrl,
      defaultPort: 6379,
      howToStart:
        'start it (e.g. `redis-server --daemonize yes` or `docker compose up -d redis`) or set REDIS_URL',
    },
    {
      name: 'RabbitMQ',
      url: config.amqpUrl,
      defaultPort: 5672,
      howToStart:
        'start it (e.g. `rabbitmq-server -detached` or `docker compose up -d rabbitmq`) or set AMQP_URL',
    },
  ];
}

function canConnect(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Checks that PostgreSQL, Redis and RabbitMQ accept connections, so that a missing one stops
 * start-up with one clear line instead of a stack trace from deep inside a driver.
 */
export async function assertInfrastructureReachable(
  config: Config,
  timeoutMs = 2000,
): Promise<void> {
  const results = await Promise.all(
    dependencies(config).map(async (dep) => {
      const url = new URL(dep.url);
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const port = Number(url.port || dep.defaultPort);
      return { dep, where: `${host}:${port}`, ok: await canConnect(host, port, timeoutMs) };
    }),
  );
  const down = results.find((r) => !r.ok);
  if (down) {
    throw new InfrastructureError(
      `${down.dep.name} is not answering at ${down.where}: ${down.dep.howToStart}.`,
    );
  }
}
