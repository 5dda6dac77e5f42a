import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config, ServiceName } from '../config.ts';
import { databaseName } from '../config.ts';
import type { Logger } from '../logger.ts';
import { connectAmqp, type AmqpConnection } from './amqp.ts';
import { startConsumer, type Consumer, type ConsumerOptions } from './consumer.ts';
import { PostgresInbox, type TransactionContext } from './inbox.ts';
import { OutboxRelay } from './relay.ts';
import type { QueueTopology } from './topology.ts';
import type { Channel } from 'amqplib';

/** A database-backed service's messaging: its broker connection, its outbox relay and its consumers. */
export interface ServiceMessaging {
  amqp: AmqpConnection;
  relay: OutboxRelay;
  /** Starts a consumer whose handler runs in the inbox's transaction (exactly-once effects). */
  consume(
    options: Omit<ConsumerOptions<TransactionContext>, 'amqp' | 'logger' | 'inbox'>,
  ): Promise<Consumer>;
  /** Stops consumers, then the relay, then closes the connection. */
  stop(): Promise<void>;
}

/** Connects to RabbitMQ, starts the outbox relay of the service's database and manages its consumers. */
export async function startServiceMessaging(
  config: Config,
  logger: Logger,
  service: ServiceName,
  orm: MikroORM,
  relayOptions: { pollIntervalMs?: number } = {},
): Promise<ServiceMessaging> {
  const amqp = await connectAmqp(config, logger, service);
  const relay = new OutboxRelay({
    databaseUrl: `${config.postgresUrl}/${databaseName(config, service)}`,
    amqp,
    logger,
    ...relayOptions,
  });
  await relay.start();
  const inbox = new PostgresInbox(orm);
  const consumers: Consumer[] = [];
  const stop = async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await relay.stop();
  };
  return {
    amqp,
    relay,
    async consume(options) {
      const consumer = await startConsumer<TransactionContext>({ ...options, amqp, logger, inbox });
      consumers.push(consumer);
      rememberQueues(config.amqpPrefix, consumer.queues);
      return consumer;
    },
    async stop() {
      await stop();
      await amqp.close();
    },
  };
}

// Queues declared in this process, by name prefix, so a test suite can delete what its services
// declared once they are all stopped (a service keeps its queues when it stops: that is what
// makes a restart lose nothing).
const declared = new Map<string, Set<string>>();

function rememberQueues(prefix: string, queues: QueueTopology): void {
  if (!declared.has(prefix)) declared.set(prefix, new Set());
  // Every name, not just the work queue: two consumers of one queue may use different retry levels.
  for (const name of [queues.work, queues.dlq, ...queues.retries.map((r) => r.name)])
    declared.get(prefix)!.add(name);
}

/** Tests only: deletes every consumer queue this process declared under a (non-empty) prefix. */
export async function deleteDeclaredQueues(channel: Channel, prefix: string): Promise<void> {
  if (!prefix) throw new Error('refusing to delete unprefixed (production) queues');
  for (const name of declared.get(prefix) ?? []) await channel.deleteQueue(name);
  declared.delete(prefix);
}
