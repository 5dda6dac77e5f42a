import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config, ServiceName } from '../config.ts';
import { databaseName } from '../config.ts';
import type { Logger } from '../logger.ts';
import { connectAmqp, type AmqpConnection } from './amqp.ts';
import { startConsumer, type Consumer, type ConsumerOptions } from './consumer.ts';
import { watchDeadLetters } from './dead-letter-metrics.ts';
import { DeadLetterQueue } from './dead-letters.ts';
import { NoInbox, PostgresInbox, type TransactionContext } from './inbox.ts';
import { OutboxRelay } from './relay.ts';
import { rememberQueues } from './declared-queues.ts';
import { cappedRetryPolicy } from './topology.ts';

/** A database-backed service's messaging: its broker connection, its outbox relay and its consumers. */
export interface ServiceMessaging {
  amqp: AmqpConnection;
  relay: OutboxRelay;
  /** The dead-letter queue its consumers give up into (shared by every service of the prefix). */
  deadLetters: DeadLetterQueue;
  /**
   * Starts a consumer whose handler runs in the inbox's transaction (exactly-once effects), or,
   * with `idempotent`, outside any transaction and without an inbox row: only for a handler that
   * a redelivery cannot make act twice. Without a `retry` of its own it retries as the
   * configuration says (`config.messaging.retry`).
   */
  consume(
    options: Omit<ConsumerOptions<TransactionContext>, 'amqp' | 'logger' | 'inbox'> & {
      idempotent?: boolean;
    },
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
  const noInbox = new NoInbox(orm);
  const retry = cappedRetryPolicy(config.messaging.retry);
  const deadLetters = new DeadLetterQueue(amqp);
  const unwatch = watchDeadLetters(deadLetters);
  const consumers: Consumer[] = [];
  const stop = async () => {
    unwatch();
    await Promise.all(consumers.map((c) => c.stop()));
    await relay.stop();
  };
  return {
    amqp,
    relay,
    deadLetters,
    async consume({ idempotent, ...options }) {
      const consumer = await startConsumer<TransactionContext>({
        retry,
        ...options,
        amqp,
        logger,
        inbox: idempotent ? noInbox : inbox,
      });
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
