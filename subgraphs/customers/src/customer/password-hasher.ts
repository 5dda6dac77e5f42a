import { randomBytes } from 'node:crypto';
import { BulkheadRejectedError, bulkhead, type BulkheadPolicy } from 'cockatiel';
import { rateLimitedError } from '@airline/shared';
import {
  hashPassword,
  needsUpgrade,
  scryptParams,
  verifyPassword,
  type ScryptParams,
} from './password.ts';

/** How many password hashes the process computes at once, and how many may wait for a slot. */
export interface HashingLimits {
  concurrent: number;
  queued: number;
}

/**
 * Two at a time: at 2^17 each hash holds 128 MiB and a libuv thread for a few hundred ms, and
 * libuv's four threads also serve DNS and file I/O. The queue absorbs a burst of sign-ups (a test
 * suite registers 100 at once) yet stops a flood from queueing without bound.
 */
export const DEFAULT_HASHING_LIMITS: HashingLimits = { concurrent: 2, queued: 128 };

/** Retry hint when the queue is full: a slot frees within a hash or two. */
const BUSY_RETRY_SECONDS = 1;

/**
 * Password hashing at the configured cost, bounded by a bulkhead: every scrypt of the process
 * (sign-up, login, agent seeding) goes through it, so a burst of requests costs queueing, not
 * memory; past the queue a request is RATE_LIMITED at once.
 */
export class PasswordHasher {
  readonly params: ScryptParams;
  readonly #bulkhead: BulkheadPolicy;
  #dummy: Promise<string> | undefined;

  constructor(logN: number, limits: HashingLimits = DEFAULT_HASHING_LIMITS) {
    this.params = scryptParams(logN);
    this.#bulkhead = bulkhead(limits.concurrent, limits.queued);
  }

  async #bounded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.#bulkhead.execute(work);
    } catch (err) {
      if (err instanceof BulkheadRejectedError)
        throw rateLimitedError(BUSY_RETRY_SECONDS, 'Too many sign-ins at once');
      throw err;
    }
  }

  /** A new hash at the configured cost. */
  hash(password: string): Promise<string> {
    return this.#bounded(() => hashPassword(password, this.params));
  }

  /** A new hash, or undefined at once when the queue is full (for work that can wait). */
  async hashUnlessBusy(password: string): Promise<string | undefined> {
    try {
      return await this.#bulkhead.execute(() => hashPassword(password, this.params));
    } catch (err) {
      if (err instanceof BulkheadRejectedError) return undefined;
      throw err;
    }
  }

  /** Checks a password against a stored hash. */
  verify(password: string, stored: string): Promise<boolean> {
    return this.#bounded(() => verifyPassword(password, stored));
  }

  /**
   * Spends what checking a real account costs and answers false: used when the e-mail is unknown
   * so that timing does not tell which e-mails have accounts.
   */
  async verifyUnknown(password: string): Promise<false> {
    // Made on first use, not at start-up: at 2^17 it is a noticeable hash nobody may ever need.
    this.#dummy ??= hashPassword(randomBytes(16).toString('hex'), this.params);
    const dummy = await this.#dummy;
    await this.verify(password, dummy);
    return false;
  }

  /** True when `stored` is weaker than the configured cost (rehash it after a successful check). */
  needsUpgrade(stored: string): boolean {
    return needsUpgrade(stored, this.params);
  }
}
