// Destructive helpers that only tests may use: they drop databases, delete keys, queues and
// exchanges, and wait for outboxes. They live here, not in the package's main entry, so no
// service can import them by accident.
import type { Channel } from 'amqplib';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { takeDeclaredQueues } from '../messaging/declared-queues.ts';
import { ALL_EXCHANGES } from '../messaging/events.ts';
import type { QueueTopology } from '../messaging/topology.ts';

/** Drops a database (every suite creates and drops its own). */
export async function dropDatabase(config: Config, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${config.postgresUrl}/postgres` });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Deletes every Redis key under a prefix. */
export async function deleteKeysWithPrefix(config: Config, prefix: string): Promise<void> {
  const redis = new Redis(config.redisUrl, { lazyConnect: false });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Deletes a consumer's queues (messages in them are lost). */
export async function deleteConsumerQueues(channel: Channel, names: QueueTopology): Promise<void> {
  for (const queue of [names.work, names.dlq, ...names.retries.map((r) => r.name)]) {
    await channel.deleteQueue(queue);
  }
}

/** Deletes the catalogue's exchanges under a (non-empty) prefix. */
export async function deleteExchanges(channel: Channel, prefix: string): Promise<void> {
  if (!prefix) throw new Error('refusing to delete the unprefixed (production) exchanges');
  for (const exchange of ALL_EXCHANGES) {
    await channel.deleteExchange(`${prefix}${exchange}`);
  }
}

/** Deletes every consumer queue this process's services declared under a (non-empty) prefix. */
export async function deleteDeclaredQueues(channel: Channel, prefix: string): Promise<void> {
  if (!prefix) throw new Error('refusing to delete unprefixed (production) queues');
  for (const name of takeDeclaredQueues(prefix)) await channel.deleteQueue(name);
}

/**
 * Resolves once a database's outbox has no unpublished row (whichever relay is active publishes
 * them); fails loudly with the count left after `timeoutMs`.
 */
export async function drainOutbox(databaseUrl: string, timeoutMs = 10_000): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ pending: string }>(
        'select count(*) as pending from outbox where published_at is null',
      );
      if (rows[0]?.pending === '0') return;
      if (Date.now() > deadline)
        throw new Error(`outbox still has ${rows[0]?.pending} pending rows after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await client.end();
  }
}
