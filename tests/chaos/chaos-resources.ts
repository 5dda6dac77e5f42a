import amqp from 'amqplib';
import { databaseName, SERVICES, type Config } from '@airline/shared';
import { deleteKeysWithPrefix, dropDatabase } from '@airline/shared/testing';
import { listExchanges, listQueues } from '../teardown/broker-inventory.ts';

/**
 * Removes everything a chaos run created: its databases, Redis keys, and the queues and exchanges
 * its child processes declared under its AMQP prefix (listed on the broker: they were declared in
 * other processes, so this one cannot know their names).
 */
export async function cleanupChaosResources(config: Config): Promise<void> {
  if (!config.amqpPrefix || !config.redisPrefix || !config.dbPrefix)
    throw new Error('refusing to clean up an unprefixed (shared) stack');
  await Promise.all(SERVICES.map((s) => dropDatabase(config, databaseName(config, s))));
  await deleteKeysWithPrefix(config, config.redisPrefix);
  await deleteBrokerObjects(config.amqpUrl, config.amqpPrefix);
}

/** Deletes the queues and exchanges whose names start with `prefix` (never an empty one). */
export async function deleteBrokerObjects(amqpUrl: string, prefix: string): Promise<number> {
  if (!prefix) throw new Error('refusing to delete unprefixed (production) queues');
  const queues = ((await listQueues()) ?? []).filter((q) => q.name.startsWith(prefix));
  const exchanges = ((await listExchanges()) ?? []).filter((e) => e.startsWith(prefix));
  if (!queues.length && !exchanges.length) return 0;
  const connection = await amqp.connect(amqpUrl);
  try {
    const channel = await connection.createChannel();
    for (const queue of queues) await channel.deleteQueue(queue.name);
    for (const exchange of exchanges) await channel.deleteExchange(exchange);
    await channel.close();
  } finally {
    await connection.close();
  }
  return queues.length + exchanges.length;
}
