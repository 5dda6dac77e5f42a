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
