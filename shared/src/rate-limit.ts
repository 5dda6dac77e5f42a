import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { GraphQLError } from 'graphql';
import { appError, ErrorCode } from './errors.ts';
import type { Redis } from './redis.ts';

/** RATE_LIMITED with `extensions.retryAfterSeconds`, the shape every throttle answers with. */
export function rateLimitedError(retryAfterSeconds: number, message: string): GraphQLError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return appError(ErrorCode.RATE_LIMITED, `${message}: try again in ${seconds} s`, {
    retryAfterSeconds: seconds,
  });
}

/** How often one key (a client address, a customer) may do one thing. */
export interface RateLimitOptions {
  /** Names the Redis keys and nothing else, e.g. `register:ip`. */
  name: string;
  /** Actions allowed per window. */
  points: number;
  windowSeconds: number;
  /** Said to the client before "try again in N s", e.g. "Too many sign-ups from your network". */
  message: string;
}

/**
 * A fixed-window counter in Redis, shared by every replica: `consume` counts the action and
 * refuses it in one atomic step (INCR), so concurrent requests cannot slip past the limit.
 */
export class RateLimit {
  readonly #limiter: RateLimiterRedis;
  readonly #message: string;

  constructor(redis: Redis, options: RateLimitOptions) {
    this.#message = options.message;
    this.#limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `ratelimit:${options.name}`,
      points: options.points,
      duration: options.windowSeconds,
    });
  }

  /** Counts one action for `key`; throws RATE_LIMITED (with retryAfterSeconds) past the limit. */
  async consume(key: string, points = 1): Promise<void> {
    try {
      await this.#limiter.consume(key, points);
    } catch (err) {
      if (err instanceof RateLimiterRes)
        throw rateLimitedError(err.msBeforeNext / 1000, this.#message);
      throw err;
    }
  }

  /** Gives back what `consume` took for `key` (e.g. a request refused for another reason). */
  async refund(key: string, points = 1): Promise<void> {
    await this.#limiter.reward(key, points);
  }
}
