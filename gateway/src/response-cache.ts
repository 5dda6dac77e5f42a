import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import responseCachePlugin, {
  type ApolloServerPluginResponseCacheOptions,
} from '@apollo/server-plugin-response-cache';
// Not the @airline/shared barrel (see server.ts): only Redis, config and logger types.
import type { Config } from '@airline/shared/config';
import type { Logger } from '@airline/shared/logger';
import { Redis } from '@airline/shared/redis';
import type { GatewayContext } from './auth-forwarding.ts';

/** Apollo's key-value cache contract, as the response-cache plugin takes it. */
type KeyValueCache = NonNullable<ApolloServerPluginResponseCacheOptions<BaseContext>['cache']>;
type SetOptions = Parameters<KeyValueCache['set']>[2];

/** Where cached responses live, under the configured Redis prefix (the plugin adds `fqc:`). */
export const RESPONSE_CACHE_KEY_PREFIX = 'response-cache:';

/**
 * How long a request waits for Redis before it counts as a miss: a hung Redis costs a request
 * at most this, and a busy event loop does not turn a healthy Redis into an outage.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 500;

/** How long the gateway's start waits for Redis: never long, the cache is optional. */
const CONNECT_WAIT_MS = 1_000;

/**
 * Apollo's `KeyValueCache` over ioredis, so every gateway replica reads what any of them stored.
 * Entries always expire: a value without a positive TTL is not stored. Redis failing never fails
 * the request: a read is a miss, a write is dropped, and the outage is logged once at warn (and
 * its end once at info), not once per request.
 */
export class RedisKeyValueCache implements KeyValueCache {
  readonly #redis: Redis;
  readonly #logger: Logger;
  #down = false;

  constructor(redis: Redis, logger: Logger) {
    this.#redis = redis;
    this.#logger = logger;
    // Connection errors arrive as events (an unhandled one would be printed for every retry).
    redis.on('error', (err: Error) => this.#failed(err));
  }

  /** The cached value, or undefined on a miss or when Redis does not answer. */
  async get(key: string): Promise<string | undefined> {
    try {
      const value = await this.#redis.get(key);
      this.#answered();
      return value ?? undefined;
    } catch (err) {
      this.#failed(err as Error);
      return undefined;
    }
  }

  /** Stores `value` for `ttl` seconds. */
  async set(key: string, value: string, options?: SetOptions): Promise<void> {
    const ttl = options?.ttl;
    if (typeof ttl !== 'number' || !(ttl > 0)) return;
    try {
      await this.#redis.set(key, value, 'PX', Math.ceil(ttl * 1000));
      this.#answered();
    } catch (err) {
      this.#failed(err as Error);
    }
  }

  /** Removes one entry; false when there was none or Redis did not answer. */
  async delete(key: string): Promise<boolean> {
    try {
      const removed = await this.#redis.del(key);
      this.#answered();
      return removed > 0;
    } catch (err) {
      this.#failed(err as Error);
      return false;
    }
  }

  #failed(err: Error): void {
    if (this.#down) return;
    this.#down = true;
    this.#logger.warn(
      { err },
      'response cache: Redis is not answering; serving every request uncached until it is back',
    );
  }

  #answered(): void {
    if (!this.#down) return;
    this.#down = false;
    this.#logger.info('response cache: Redis answers again; caching resumed');
  }
}

/**
 * The gateway's response cache: whole query responses in Redis, shared by every replica, for as
 * long as the subgraphs' `Cache-Control` headers allow (each subgraph computes its header from
 * the schema's `@cacheControl` hints; the gateway keeps the lowest maxAge, and a subgraph
 * without the header makes the response uncacheable). Only PUBLIC responses are stored, so a hit
 * is the same for every caller; a response with an error, a mutation and a PRIVATE response are
 * never stored. A hit is served after parsing, validation, the query limits and the token check,
 * with an `age` header.
 */
export function responseCache(config: Config, logger: Logger): ApolloServerPlugin<GatewayContext> {
  const redis = new Redis(config.redisUrl, {
    keyPrefix: `${config.redisPrefix}${RESPONSE_CACHE_KEY_PREFIX}`,
    connectionName: 'gateway-response-cache',
    lazyConnect: true,
    // Fail at once while disconnected instead of queueing requests behind the reconnection.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  });
  const cache = new RedisKeyValueCache(redis, logger);
  const plugin = responseCachePlugin<GatewayContext>({
    cache,
    // No session: PRIVATE responses are never stored. Keyed by the caller's token they would put
    // customers' personal data in a store every replica reads, kept after logout and until the
    // TTL, behind a key that a bug in one place could share; our subgraphs mark that data
    // maxAge 0 anyway, so there is nothing to gain. (Without this hook the plugin would warn on
    // every PRIVATE response.)
    sessionId: async () => null,
  });
  return {
    ...plugin,
    async serverWillStart() {
      // Connected before the first request, so that one is not a false outage; a Redis that is
      // down (or slow) at start is reported by the error event and retried in the background.
      await Promise.race([
        redis.connect().catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, CONNECT_WAIT_MS).unref()),
      ]);
      return {
        async serverWillStop() {
          redis.disconnect();
        },
      };
    },
  };
}
