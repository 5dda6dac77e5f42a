import { RateLimit, type Limits, type Redis } from '@airline/shared';
import { FailureBackoff, type Reservation } from './failure-backoff.ts';

/** The login limits of the configuration. */
export type LoginLimits = Pick<
  Limits,
  | 'loginPerIpPerMinute'
  | 'loginFreeFailures'
  | 'loginAccountFreeFailures'
  | 'loginMaxBackoffSeconds'
>;

// One message for every refusal: which counter refused would tell a guesser what to vary.
const MESSAGE = 'Too many login attempts';
/** A run of failures ends after a quiet day, as a person would expect. */
const FAILURE_MEMORY_SECONDS = 24 * 60 * 60;
/** An address a customer logged in from keeps its exemption from account-wide back-off this long. */
const KNOWN_ADDRESS_SECONDS = 30 * 24 * 60 * 60;

/** A login attempt the throttle let through; its failure is already counted. */
export interface LoginAttempt {
  /** The password was right: forget this address's failures on the account and remember it. */
  succeeded(): Promise<void>;
  /** The password was never checked (e.g. hashing was busy): the attempt does not count. */
  abandoned(): Promise<void>;
}

/**
 * Login throttling in Redis, shared by every replica, in three parts:
 * - per address, every attempt on any account (`loginPerIpPerMinute`), against spraying;
 * - per account and address, exponential back-off after `loginFreeFailures` consecutive failures:
 *   a guesser slows to one try per `loginMaxBackoffSeconds` while the owner elsewhere is untouched;
 * - per account over all addresses, back-off after `loginAccountFreeFailures`, against guessing
 *   spread over many addresses; addresses the account logged in from before are exempt, so such
 *   an attack cannot lock the owner out.
 * Failures are counted before the password is checked and given back when it was right.
 */
export class LoginThrottle {
  readonly #redis: Redis;
  readonly #perAddress: RateLimit;
  readonly #perPair: FailureBackoff;
  readonly #perAccount: FailureBackoff;

  constructor(redis: Redis, limits: LoginLimits) {
    this.#redis = redis;
    this.#perAddress = new RateLimit(redis, {
      name: 'login:ip',
      points: limits.loginPerIpPerMinute,
      windowSeconds: 60,
      message: MESSAGE,
    });
    this.#perPair = new FailureBackoff(redis, {
      name: 'login:pair',
      freeFailures: limits.loginFreeFailures,
      maxBackoffSeconds: limits.loginMaxBackoffSeconds,
      memorySeconds: FAILURE_MEMORY_SECONDS,
      message: MESSAGE,
    });
    this.#perAccount = new FailureBackoff(redis, {
      name: 'login:account',
      freeFailures: limits.loginAccountFreeFailures,
      maxBackoffSeconds: limits.loginMaxBackoffSeconds,
      memorySeconds: FAILURE_MEMORY_SECONDS,
      message: MESSAGE,
    });
  }

  /**
   * Counts a login attempt on `email` from `address`, as a failure until told otherwise; throws
   * RATE_LIMITED (with retryAfterSeconds) when any part is over its limit. Works the same for
   * e-mails without an account, so refusals say nothing about which accounts exist.
   */
  async begin(email: string, address: string): Promise<LoginAttempt> {
    await this.#perAddress.consume(address);
    // An address never contains '|', so the pair key is unambiguous whatever the e-mail holds.
    const pairKey = `${address}|${email}`;
    const knownKey = `login:known:${pairKey}`;
    const pair = await this.#perPair.reserve(pairKey);
    let account: Reservation | undefined;
    try {
      if (!(await this.#redis.exists(knownKey))) account = await this.#perAccount.reserve(email);
    } catch (err) {
      await this.#perPair.release(pair);
      throw err;
    }
    return {
      succeeded: async () => {
        await Promise.all([
          this.#perPair.reset(pairKey),
          account && this.#perAccount.release(account),
          this.#redis.set(knownKey, '1', 'EX', KNOWN_ADDRESS_SECONDS),
        ]);
      },
      abandoned: async () => {
        await Promise.all([
          this.#perPair.release(pair),
          account && this.#perAccount.release(account),
        ]);
      },
    };
  }
}
