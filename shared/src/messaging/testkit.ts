// Test support for the messaging suites: every call gets its own database, AMQP prefix and Redis
// prefix, and `dispose()` deletes all of them, so tests never see each other or leftovers.
import { waitFor } from '../testing/wait.ts';
import { randomBytes } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import type { Options } from 'amqplib';
import { pino } from 'pino';
import { loadConfig, type Config } from '../config.ts';
import { databaseName } from '../config.ts';
import { openDatabase, type MikroORM } from '../db.ts';
import type { Logger } from '../logger.ts';
import { createRedis, type Redis } from '../redis.ts';
import { AmqpConnection } from './amqp.ts';
import { startConsumer, type Consumer, type ConsumerOptions } from './consumer.ts';
import { Migration20261125000000_outbox, OutboxMessage } from './outbox.ts';
import { OutboxRelay, type OutboxRelayOptions } from './relay.ts';
import { deadLetterQueue } from './topology.ts';
import {
  deleteConsumerQueues,
  deleteExchanges,
  deleteKeysWithPrefix,
  dropDatabase,
} from '../testing/resources.ts';

/** A stand-in for a service's own state: what a handler or a use case changes. */
export const TestRecord = defineEntity({
  name: 'TestRecord',
  tableName: 'test_record',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    kind: p.string(),
    ref: p.string(),
  },
});

/** Creates the test-only `test_record` table. */
export class Migration20261125000001_test_record extends Migration {
  override up(): void {
    this.addSql(
      `create table "test_record" ("id" bigserial primary key, "kind" varchar(255) not null, "ref" varchar(255) not null)`,
    );
  }
}

/** One parsed pino line. */
export type LogLine = { level: number; msg: string } & Record<string, unknown>;

/** Everything one test needs, isolated and disposable. */
export interface MessagingTestEnv {
  config: Config;
  logger: Logger;
  logs: LogLine[];
  orm: MikroORM;
  databaseUrl: string;
  amqp: AmqpConnection;
  redis: Redis;
  /** A relay on this test's database (stopped by `dispose`). */
  relay(options?: Partial<OutboxRelayOptions>): OutboxRelay;
  /** A consumer on this test's prefix (stopped and its queues deleted by `dispose`). */
  consumer<Ctx extends object>(
    options: Omit<ConsumerOptions<Ctx>, 'amqp' | 'logger'>,
  ): Promise<Consumer>;
  /** Publishes raw bytes to a logical exchange, bypassing the outbox (duplicates, poison). */
  publishRaw(
    exchange: string,
    routingKey: string,
    content: Buffer | string,
    options?: Options.Publish,
  ): Promise<void>;
  /** Reads the messages currently in a (real, prefixed) queue, removing them. */
  drainQueue(queue: string): Promise<{ content: string; headers: Record<string, unknown> }[]>;
  dispose(): Promise<void>;
}

/** Builds an isolated environment: database `msgtest_<random>_bookings` with the outbox migration, prefixes `test.<random>.`. */
export async function createMessagingTestEnv(): Promise<MessagingTestEnv> {
  const id = randomBytes(4).toString('hex');
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    DB_PREFIX: `msgtest_${id}_`,
    AMQP_PREFIX: `test.${id}.`,
    REDIS_PREFIX: `test:${id}:`,
  });
  const logs: LogLine[] = [];
  const logger = pino(
    { level: 'debug', base: { service: 'msgtest' } },
    { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
  );
  const orm = await openDatabase(
    config,
    {
      service: 'bookings',
      entities: [OutboxMessage, TestRecord],
      migrations: [Migration20261125000000_outbox, Migration20261125000001_test_record],
    },
    logger,
  );
  const databaseUrl = `${config.postgresUrl}/${databaseName(config, 'bookings')}`;
  const amqp = await AmqpConnection.connect(config, logger, {
    name: 'msgtest',
    reconnectDelayMs: { min: 50, max: 500 },
  });
  const redis = createRedis(config, 'msgtest');
  const relays: OutboxRelay[] = [];
  const consumers: Consumer[] = [];

  return {
    config,
    logger,
    logs,
    orm,
    databaseUrl,
    amqp,
    redis,
    relay(options = {}) {
      const relay = new OutboxRelay({
        databaseUrl,
        amqp,
        logger,
        pollIntervalMs: 500,
        lockRetryMs: 50,
        errorBackoffMs: { min: 20, max: 200 },
        ...options,
      });
      relays.push(relay);
      return relay;
    },
    async consumer(options) {
      const consumer = await startConsumer({ amqp, logger, ...options });
      consumers.push(consumer);
      return consumer;
    },
    async publishRaw(exchange, routingKey, content, options = {}) {
      await amqp.whenConnected();
      const channel = await amqp.publishChannel();
      await new Promise<void>((resolve, reject) => {
        channel.publish(
          amqp.name(exchange),
          routingKey,
          Buffer.from(content),
          { persistent: true, ...options },
          (err: unknown) =>
            err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(),
        );
      });
    },
    async drainQueue(queue) {
      const channel = await amqp.adminChannel();
      try {
        const out: { content: string; headers: Record<string, unknown> }[] = [];
        for (;;) {
          const msg = await channel.get(queue, { noAck: true });
          if (!msg) return out;
          out.push({
            content: msg.content.toString('utf8'),
            headers: (msg.properties.headers ?? {}) as Record<string, unknown>,
          });
        }
      } finally {
        await channel.close().catch(() => undefined);
      }
    },
    async dispose() {
      await Promise.allSettled(relays.map((r) => r.stop()));
      await Promise.allSettled(consumers.map((c) => c.stop()));
      try {
        await amqp.whenConnected();
        const channel = await amqp.adminChannel();
        for (const c of consumers) await deleteConsumerQueues(channel, c.queues);
        await channel.deleteQueue(deadLetterQueue(config.amqpPrefix));
        await deleteExchanges(channel, config.amqpPrefix);
        await channel.close();
      } finally {
        await amqp.close();
        redis.disconnect();
        await deleteKeysWithPrefix(config, config.redisPrefix);
        await orm.close(true);
        await dropDatabase(config, databaseName(config, 'bookings'));
      }
    },
  };
}

/** Sleeps; for "nothing else arrives" checks only, never to wait for something to happen. */
export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Re-exported for the suites that import it from here. */
export { waitFor };
