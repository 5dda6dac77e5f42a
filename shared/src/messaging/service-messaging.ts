import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config, ServiceName } from '../config.ts';
import { databaseName } from '../config.ts';
import type { Logger } from '../logger.ts';
import { connectAmqp, type AmqpConnection } from './amqp.ts';
import { startConsumer, type Consumer, type ConsumerOptions } from './consumer.ts';
import { PostgresInbox, type TransactionContext } from './inbox.ts';
import { OutboxRelay } from './relay.ts';
import { deleteConsumerQueues } from './topology.ts';

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
  /** Tests only: also deletes this service's consumer queues (the suite deletes its exchanges). */
  stopAndDeleteQueues(): Promise<void>;
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
      return consumer;
    },
    async stop() {
      await stop();
      await amqp.close();
    },
    async stopAndDeleteQueues() {
      await stop();
      const channel = await amqp.adminChannel();
      for (const c of consumers) await deleteConsumerQueues(channel, c.queues);
      await amqp.close();
    },
  };
}
