import {
  rateLimitedError,
  type AuthUser,
  type EntityManager,
  type RateLimit,
} from '@airline/shared';
import { BookingStatus } from './booking-status.ts';
import { Booking } from './booking.entity.ts';

/** What one client or customer may hold and ask for (from `config.limits`). */
export interface BookingLimitsOptions {
  /** Bookings holding seats (HELD, PAYMENT_PENDING) one customer may have at once. */
  maxLiveHoldsPerCustomer: number;
  maxSeatsPerBooking: number;
  /** createBooking requests per client address. */
  perClientAddress: Pick<RateLimit, 'consume'>;
  /** createBooking requests per customer. */
  perCustomer: Pick<RateLimit, 'consume'>;
}

const LIVE = [BookingStatus.HELD, BookingStatus.PAYMENT_PENDING];
// A payment settles within seconds: a customer at the cap only through payments in progress is
// told to come back soon rather than when some hold would have expired.
const PAYMENT_SETTLES_SECONDS = 5;

/**
 * The limits that keep one client from hoarding seats: a throttle on createBooking, a cap on
 * passengers per booking (applied by the input schema), and a cap on live holds per customer.
 * Each refuses before anything is held, so a refusal leaves nothing behind.
 */
export class BookingLimits {
  readonly #options: BookingLimitsOptions;

  constructor(options: BookingLimitsOptions) {
    this.#options = options;
  }

  /** Most passengers on one booking (createBooking's input refuses more, naming the limit). */
  get maxSeatsPerBooking(): number {
    return this.#options.maxSeatsPerBooking;
  }

  /** Counts one createBooking for the client address and the customer; RATE_LIMITED past either. */
  async throttle(user: AuthUser, clientIp: string): Promise<void> {
    await this.#options.perClientAddress.consume(clientIp);
    await this.#options.perCustomer.consume(user.id);
  }

  /**
   * RATE_LIMITED when the customer already has the most live holds allowed, with
   * `retryAfterSeconds` until the first of them expires. Cheap, but racy on its own: the insert
   * transaction calls `lockLiveHolds`, which makes it exact.
   */
  async checkLiveHolds(em: EntityManager, customerId: string): Promise<void> {
    const max = this.#options.maxLiveHoldsPerCustomer;
    const live = await em.find(
      Booking,
      { customerId, status: { $in: LIVE } },
      { fields: ['status', 'holdExpiresAt'], disableIdentityMap: true },
    );
    if (live.length < max) return;
    const now = Date.now();
    const expiries = live
      .filter((b) => b.status === BookingStatus.HELD && b.holdExpiresAt)
      .map((b) => b.holdExpiresAt!.getTime());
    const seconds = expiries.length
      ? (Math.min(...expiries) - now) / 1000
      : PAYMENT_SETTLES_SECONDS;
    throw rateLimitedError(
      seconds,
      `You already have ${max} bookings holding seats, the most one customer may hold at once ` +
        '(live holds per customer): pay for or cancel one, or wait until a hold expires',
    );
  }

  /**
   * In the transaction that inserts the booking: takes the customer's advisory lock (held to the
   * commit) and checks the cap again, so two concurrent createBookings of one customer are
   * counted one after the other and cannot both take the last place.
   */
  async lockLiveHolds(tx: EntityManager, customerId: string): Promise<void> {
    await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [
      `booking-live-holds:${customerId}`,
    ]);
    await this.checkLiveHolds(tx, customerId);
  }
}
