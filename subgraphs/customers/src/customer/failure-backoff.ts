import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { rateLimitedError, type Redis } from '@airline/shared';

/** When one key (an account, an account from one address) starts backing off, and how far. */
export interface BackoffOptions {
  /** Names the Redis keys and nothing else, e.g. `login:pair`. */
  name: string;
  /** Failures that cost no waiting; the attempt after the last of them waits 2 s, then 4 s, … */
  freeFailures: number;
  maxBackoffSeconds: number;
  /** How long a failure is remembered without a success or another failure. */
  memorySeconds: number;
  /** Said to the client before "try again in N s". */
  message: string;
}

/** One attempt counted as a failure in advance; given back with `release` if it was not one. */
export interface Reservation {
  readonly key: string;
  /** True when this attempt passed the back-off gate (and so closed it behind itself). */
  readonly gated: boolean;
}

/**
 * Exponential back-off over consecutive failures, counted in Redis before the attempt runs so
 * concurrent attempts cannot all slip through: every attempt first counts itself as a failure
 * (atomic INCR). Once the count reaches `freeFailures`, an attempt also has to pass a gate, a
 * rate-limiter-flexible key of one point that the first attempt to consume closes for 2^k seconds
 * (capped); the others are refused and give their count back. A success or an attempt that never
 * ran gives its failure back; `reset` forgets the failures altogether.
 */
export class FailureBackoff {
  readonly #failures: RateLimiterRedis;
  readonly #gate: RateLimiterRedis;
  readonly #options: BackoffOptions;

  constructor(redis: Redis, options: BackoffOptions) {
    this.#options = options;
    // `penalty` never refuses, so `points` is unused: this limiter is only an expiring counter.
    this.#failures = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${options.name}:failures`,
      points: 1,
      duration: options.memorySeconds,
    });
    this.#gate = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${options.name}:gate`,
      points: 1,
      duration: options.maxBackoffSeconds,
    });
  }

  /** Counts an attempt for `key` as a failure; throws RATE_LIMITED while the key is backing off. */
  async reserve(key: string): Promise<Reservation> {
    const { consumedPoints: failures } = await this.#failures.penalty(key);
    const { freeFailures, maxBackoffSeconds } = this.#options;
    // A cap of 0 turns back-off off (a gate without expiry would be a lockout).
    if (failures < freeFailures || maxBackoffSeconds < 1) return { key, gated: false };
    const seconds = Math.min(2 ** (failures - freeFailures + 1), maxBackoffSeconds);
    try {
      await this.#gate.consume(key, 1, { customDuration: seconds });
      return { key, gated: true };
    } catch (err) {
      await this.#failures.reward(key);
      if (err instanceof RateLimiterRes)
        throw rateLimitedError(err.msBeforeNext / 1000, this.#options.message);
      throw err;
    }
  }

  /** The reserved attempt was not a failure (it succeeded, or was refused before it ran). */
  async release(reservation: Reservation): Promise<void> {
    await Promise.all([
      this.#failures.reward(reservation.key),
      reservation.gated ? this.#gate.delete(reservation.key) : undefined,
    ]);
  }

  /** Forgets every failure of `key` (a success ends a run of consecutive failures). */
  async reset(key: string): Promise<void> {
    await Promise.all([this.#failures.delete(key), this.#gate.delete(key)]);
  }
}
