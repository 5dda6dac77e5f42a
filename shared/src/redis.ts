import { Redis } from 'ioredis';
import type { Config } from './config.ts';

export { Redis } from 'ioredis';

/** Opens a Redis connection whose keys all live under the configured prefix (tests get their own). */
export function createRedis(config: Config, purpose: string): Redis {
  return new Redis(config.redisUrl, {
    keyPrefix: config.redisPrefix,
    connectionName: purpose,
    maxRetriesPerRequest: 3,
    lazyConnect: false,
  });
}

/** Deletes every key under a prefix (tests clean up after themselves). */
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
