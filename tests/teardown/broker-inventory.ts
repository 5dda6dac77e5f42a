// What exists on the local RabbitMQ. AMQP itself cannot list queues or exchanges and this broker
// runs without its management plugin, so the inventory comes from `rabbitmqctl` (present wherever
// the broker is, as on CI). Without it the inventory is empty and nothing is deleted.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A queue and how many consumers it has (a queue with consumers is in use). */
export interface BrokerQueue {
  name: string;
  consumers: number;
}

async function rabbitmqctl(args: string[]): Promise<string[][] | undefined> {
  try {
    const { stdout } = await run('rabbitmqctl', ['-q', '--no-table-headers', ...args], {
      timeout: 30_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'));
  } catch {
    return undefined;
  }
}

/** Every queue on the default virtual host; undefined when rabbitmqctl cannot be used here. */
export async function listQueues(): Promise<BrokerQueue[] | undefined> {
  const rows = await rabbitmqctl(['list_queues', 'name', 'consumers']);
  return rows?.map(([name, consumers]) => ({ name: name!, consumers: Number(consumers) || 0 }));
}

/** Every exchange name on the default virtual host; undefined when rabbitmqctl cannot be used. */
export async function listExchanges(): Promise<string[] | undefined> {
  const rows = await rabbitmqctl(['list_exchanges', 'name']);
  return rows?.map(([name]) => name!).filter(Boolean);
}
