// `REPLICAS=n npm start`: n copies of every subgraph and of the gateway, each on its own port (the
// usual port + 100 × copy), behind a round-robin on the usual port, as a Kubernetes Service puts
// one address in front of a Deployment's pods. The copies share PostgreSQL, Redis and RabbitMQ;
// the payment provider simulator and the notification sinks stand for outside systems and stay
// single.
import { ConfigError } from '../shared/src/config.ts';

/** One process `npm start` runs. */
export interface StartProcess {
  name: string;
  command: string;
  env?: Record<string, string>;
}

/** The replica count asked for in `REPLICAS` (1 when unset); a ConfigError when it is not one. */
export function replicaCount(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 1;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > 9)
    throw new ConfigError(`REPLICAS must be a whole number from 1 to 9, not "${raw}"`);
  return count;
}

/** The port of copy `copy` (1-based) of a process whose usual port is `port`. */
export const replicaPort = (port: number, copy: number): number => port + 100 * copy;

/**
 * The processes with every replicated one (those with a port in `ports`) run `count` times on
 * replica ports, plus a round-robin per replicated process on its usual port.
 */
export function withReplicas(
  processes: StartProcess[],
  count: number,
  ports: Record<string, number>,
): StartProcess[] {
  if (count <= 1) return processes;
  return processes.flatMap((process) => {
    const port = ports[process.name];
    if (port === undefined) return [process];
    const copies = Array.from({ length: count }, (_, i) => i + 1);
    const portVariable = `${process.name.toUpperCase()}_PORT`;
    return [
      ...copies.map((copy) => ({
        ...process,
        name: `${process.name}#${copy}`,
        env: { ...process.env, [portVariable]: String(replicaPort(port, copy)) },
      })),
      {
        name: `lb:${process.name}`,
        command: `node scripts/round-robin.ts ${port} ${copies.map((c) => replicaPort(port, c)).join(' ')}`,
      },
    ];
  });
}
