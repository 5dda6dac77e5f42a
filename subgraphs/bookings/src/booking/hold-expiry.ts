import { LockMode } from '@mikro-orm/core';
import type { Logger, MikroORM } from '@airline/shared';
import type { BookingLifecycle } from './booking-lifecycle.ts';
import { PAYMENT_REQUEST_GRACE_MS } from './booking-machine.ts';
import { BookingStatus } from './booking-status.ts';
import { Booking } from './booking.entity.ts';

/**
 * Expires unpaid holds. Each tick reads only holds that are due, through the partial index on
 * `hold_expires_at WHERE status = 'HELD'`, with SKIP LOCKED so replicas share the work and never
 * wait on a booking that a payment or a cancel is changing right now. A hold whose payment
 * request is out is left alone for a grace period: payments may be taking the money right now.
 */
export class HoldExpiry {
  readonly #orm: MikroORM;
  readonly #lifecycle: BookingLifecycle;
  readonly #logger: Logger;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(orm: MikroORM, lifecycle: BookingLifecycle, logger: Logger, intervalMs: number) {
    this.#orm = orm;
    this.#lifecycle = lifecycle;
    this.#logger = logger;
    this.#intervalMs = intervalMs;
  }

  /** Starts ticking; the first tick catches up with holds that lapsed while the service was down. */
  start(): void {
    const tick = () => {
      this.#running = this.sweep()
        .then((n) => void (n && this.#logger.info({ expired: n }, 'holds expired')))
        .catch((err: unknown) => this.#logger.error({ err }, 'hold expiry sweep failed'))
        .finally(() => {
          this.#running = undefined;
          if (this.#timer) this.#timer = setTimeout(tick, this.#intervalMs);
        });
    };
    this.#timer = setTimeout(tick, 0);
  }

  /** Stops ticking and waits for a sweep in progress. */
  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** Expires up to `batch` due holds in one transaction (each through the machine); returns how many. */
  async sweep(batch = 100): Promise<number> {
    return this.#orm.em.fork().transactional(async (em) => {
      const now = new Date();
      const requestOutSince = new Date(now.getTime() - PAYMENT_REQUEST_GRACE_MS);
      const due = await em.find(
        Booking,
        {
          status: BookingStatus.HELD,
          holdExpiresAt: { $lte: now },
          $or: [{ paymentRequestedAt: null }, { paymentRequestedAt: { $lt: requestOutSince } }],
        },
        {
          orderBy: { holdExpiresAt: 'asc' },
          limit: batch,
          lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE,
        },
      );
      let expired = 0;
      for (const booking of due)
        if ((await this.#lifecycle.expire(em, booking)).outcome === 'applied') expired++;
      return expired;
    });
  }
}
