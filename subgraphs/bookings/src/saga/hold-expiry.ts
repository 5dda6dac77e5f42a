import { LockMode } from '@mikro-orm/core';
import type { Logger, MikroORM } from '@airline/shared';
import { BookingStatus } from '../booking/booking-status.ts';
import { Booking } from '../booking/booking.entity.ts';
import type { BookingSaga } from './booking-saga.ts';

/**
 * Expires unpaid holds. Each tick reads only holds that are due, through the partial index on
 * `hold_expires_at WHERE status = 'HELD'`, with SKIP LOCKED so replicas share the work and never
 * wait on a booking that a payment or a cancel is changing right now.
 */
export class HoldExpiry {
  readonly #orm: MikroORM;
  readonly #saga: BookingSaga;
  readonly #logger: Logger;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(orm: MikroORM, saga: BookingSaga, logger: Logger, intervalMs: number) {
    this.#orm = orm;
    this.#saga = saga;
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

  /** Expires up to `batch` due holds in one transaction; returns how many. */
  async sweep(batch = 100): Promise<number> {
    return this.#orm.em.fork().transactional(async (em) => {
      const due = await em.find(
        Booking,
        { status: BookingStatus.HELD, holdExpiresAt: { $lte: new Date() } },
        {
          orderBy: { holdExpiresAt: 'asc' },
          limit: batch,
          lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE,
        },
      );
      for (const booking of due) await this.#saga.expire(em, booking);
      return due.length;
    });
  }
}
