import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Redis } from '@airline/shared';
import { appError, ErrorCode } from '@airline/shared';

/** Limits on login attempts: per address (all attempts) and per account (failures only). */
export interface ThrottleLimits {
  perIpPerMinute: number;
  failuresPerAccount: number;
  accountWindowSeconds: number;
}

/** Defaults: generous for people, tight for password-guessing scripts. */
export const DEFAULT_LIMITS: ThrottleLimits = {
  perIpPerMinute: 30,
  failuresPerAccount: 5,
  accountWindowSeconds: 15 * 60,
};

function rateLimited(res: RateLimiterRes): never {
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  throw appError(
    ErrorCode.RATE_LIMITED,
    `Too many login attempts: try again in ${retryAfterSeconds} s`,
    {
      retryAfterSeconds,
    },
  );
}

/** Login throttling kept in Redis so every replica of customers shares the counters. */
export class LoginThrottle {
  readonly #perIp: RateLimiterRedis;
  readonly #perAccount: RateLimiterRedis;
  readonly #limits: ThrottleLimits;

  constructor(redis: Redis, limits: ThrottleLimits = DEFAULT_LIMITS) {
    this.#limits = limits;
    this.#perIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'login:ip',
      points: limits.perIpPerMinute,
      duration: 60,
    });
    this.#perAccount = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'login:account',
      points: limits.failuresPerAccount,
      duration: limits.accountWindowSeconds,
    });
  }

  /** Counts an attempt from this address and refuses when the address or the account is over its limit. */
  async beforeAttempt(ip: string, email: string): Promise<void> {
    try {
      await this.#perIp.consume(ip);
    } catch (err) {
      if (err instanceof RateLimiterRes) rateLimited(err);
      throw err;
    }
    const account = await this.#perAccount.get(email);
    if (account && account.consumedPoints >= this.#limits.failuresPerAccount) rateLimited(account);
  }

  /** Records a failed password for the account. */
  async failed(email: string): Promise<void> {
    await this.#perAccount.penalty(email, 1);
  }

  /** Clears the account's failures after a successful login. */
  async succeeded(email: string): Promise<void> {
    await this.#perAccount.delete(email);
  }
}
