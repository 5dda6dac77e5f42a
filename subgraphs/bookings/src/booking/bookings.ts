import { createHash, randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import {
  appError,
  badInput,
  enqueue,
  ErrorCode,
  forbidden,
  isAgent,
  newEvent,
  notFound,
  parseInput,
  type AuthUser,
  type EntityManager,
  type SeatHolds,
} from '@airline/shared';
import { DependencyRejectedError, DependencyUnavailableError } from '../clients/internal-http.ts';
import type { FlightQuote, FlightsPort } from '../clients/flights-client.ts';
import type { PaymentsPort } from '../clients/payments-client.ts';
import type { BookingSaga } from '../saga/booking-saga.ts';
import { BookingStatus, SagaStep } from './booking-status.ts';
import { Booking, BookingPassenger, type BookingEntity } from './booking.entity.ts';
import { bookingStore } from './booking-store.ts';
import {
  cancelBookingInput,
  createBookingInput,
  payBookingInput,
  type CreateBookingRequest,
} from './booking.validation.ts';
import { newReference } from './identifiers.ts';

/** What the booking use cases need from the rest of the system. */
export interface BookingDeps {
  holds: SeatHolds;
  flights: FlightsPort;
  payments: PaymentsPort;
  saga: BookingSaga;
  holdTtlSeconds: number;
  /** How long seats stay held once payment has started (the provider may retry for a while). */
  paymentWindowSeconds: number;
}

const BOOKABLE_FLIGHT = new Set(['SCHEDULED', 'DELAYED']);

function requestHash(req: CreateBookingRequest): string {
  const canonical = JSON.stringify([
    req.flightId,
    req.passengers.map((p) => [p.givenName, p.familyName, p.dateOfBirth, p.seat]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

const seatUnavailable = (seats: string[]) =>
  appError(
    ErrorCode.SEAT_UNAVAILABLE,
    `Seat${seats.length > 1 ? 's' : ''} ${seats.join(', ')} ${seats.length > 1 ? 'are' : 'is'} not available`,
    { seats },
  );

/** The booking use cases: hold seats, pay, cancel, read. */
export class Bookings {
  readonly #deps: BookingDeps;

  constructor(deps: BookingDeps) {
    this.#deps = deps;
  }

  /** A booking the user may see (own, or any for an agent); NOT_FOUND otherwise, without telling which. */
  async visible(em: EntityManager, user: AuthUser, id: string): Promise<BookingEntity> {
    const booking = /^[0-9a-f-]{36}$/i.test(id) ? await em.findOne(Booking, { id }) : null;
    return visibleTo(user, booking, id);
  }

  /** Like `visible`, with the row locked for the rest of the transaction (one read, not two). */
  async #lockVisible(tx: EntityManager, user: AuthUser, id: string): Promise<BookingEntity> {
    return visibleTo(user, await bookingStore.lock(tx, id), id);
  }

  /**
   * Holds every requested seat atomically (Redis, booking id as fencing token) and stores the
   * booking HELD with its BookingCreated event. Any unavailable seat fails the whole request.
   */
  async create(
    em: EntityManager,
    user: AuthUser,
    raw: unknown,
    authorization: string | undefined,
  ): Promise<BookingEntity> {
    const input = parseInput(createBookingInput, raw);
    const hash = requestHash(input);
    if (input.idempotencyKey) {
      const earlier = await em.findOne(Booking, {
        customerId: user.id,
        idempotencyKey: input.idempotencyKey,
      });
      if (earlier) return this.#replay(earlier, hash);
    }
    const seats = input.passengers.map((p) => p.seat);
    const quote = await this.#quote(input.flightId, seats, authorization);
    const taken = quote.seats.filter((s) => s.status !== 'AVAILABLE').map((s) => s.number);
    if (taken.length) throw seatUnavailable(taken);

    const bookingId = randomUUID();
    const ttlMs = this.#deps.holdTtlSeconds * 1000;
    const hold = await this.#deps.holds.hold(input.flightId, seats, bookingId, ttlMs);
    if (!hold.ok) throw seatUnavailable(hold.taken);
    try {
      return await this.#store(
        em,
        user,
        input,
        quote,
        bookingId,
        hash,
        new Date(Date.now() + ttlMs),
      );
    } catch (err) {
      await this.#deps.holds.release(input.flightId, seats, bookingId);
      if (err instanceof UniqueConstraintViolationException && input.idempotencyKey) {
        // The same request raced itself: the other attempt won; answer with its booking.
        const winner = await em
          .fork()
          .findOne(Booking, { customerId: user.id, idempotencyKey: input.idempotencyKey });
        if (winner) return this.#replay(winner, hash);
      }
      throw err;
    }
  }

  #replay(earlier: BookingEntity, hash: string): BookingEntity {
    if (earlier.requestHash !== hash) {
      throw appError(
        ErrorCode.IDEMPOTENCY_CONFLICT,
        'This idempotencyKey was already used for a different booking request',
      );
    }
    return earlier;
  }

  async #quote(
    flightId: string,
    seats: string[],
    authorization: string | undefined,
  ): Promise<FlightQuote> {
    let quote: FlightQuote;
    try {
      quote = await this.#deps.flights.quoteSeats(flightId, seats, authorization);
    } catch (err) {
      if (err instanceof DependencyRejectedError && err.status === 404)
        throw notFound('Flight', flightId);
      if (err instanceof DependencyRejectedError && err.status === 400)
        throw badInput(`passengers: ${err.message}`, 'passengers');
      if (err instanceof DependencyUnavailableError)
        throw new Error(`flight inventory unavailable: ${err.message}`);
      throw err;
    }
    if (!BOOKABLE_FLIGHT.has(quote.flight.status))
      throw badInput(
        `flightId: flight ${quote.flight.number} is ${quote.flight.status}`,
        'flightId',
      );
    if (Date.parse(quote.flight.departureTime) <= Date.now())
      throw badInput(`flightId: flight ${quote.flight.number} has departed`, 'flightId');
    return quote;
  }

  async #store(
    em: EntityManager,
    user: AuthUser,
    input: CreateBookingRequest,
    quote: FlightQuote,
    bookingId: string,
    hash: string,
    holdExpiresAt: Date,
  ): Promise<BookingEntity> {
    const currency = quote.seats[0]!.price.currency;
    const price = new Map(quote.seats.map((s) => [s.number, s.price.amountMinor]));
    return em.transactional(async (tx) => {
      const booking = tx.create(Booking, {
        id: bookingId,
        reference: newReference(),
        customerId: user.id,
        flightId: input.flightId,
        status: BookingStatus.HELD,
        sagaStep: null,
        totalMinor: input.passengers.reduce((sum, p) => sum + price.get(p.seat)!, 0),
        currency,
        holdExpiresAt,
        idempotencyKey: input.idempotencyKey ?? null,
        requestHash: hash,
        paymentId: null,
        paymentIdempotencyKey: null,
        statusReason: null,
      });
      input.passengers.forEach((p, position) =>
        tx.create(BookingPassenger, {
          bookingId,
          ...p,
          priceMinor: price.get(p.seat)!,
          ticketNumber: null,
          position,
        }),
      );
      enqueue(
        tx,
        newEvent(
          'BookingCreated',
          bookingId,
          {
            bookingId,
            reference: booking.reference,
            customerId: user.id,
            flightId: input.flightId,
            seats: input.passengers.map((p) => p.seat),
            passengers: input.passengers.map(({ givenName, familyName, seat }) => ({
              givenName,
              familyName,
              seat,
            })),
            total: { amountMinor: booking.totalMinor, currency },
            holdExpiresAt: holdExpiresAt.toISOString(),
          },
          bookingId,
        ),
      );
      return booking;
    });
  }

  /**
   * Starts payment of a held booking and returns it PAYMENT_PENDING at once; the saga continues
   * on the payment's result. The booking row stays locked while payments records the request
   * (milliseconds: payments answers before it calls the provider), so a concurrent retry with the
   * same key waits and then gets the same booking, and two different keys can never both charge.
   */
  async pay(
    em: EntityManager,
    user: AuthUser,
    raw: unknown,
    authorization: string | undefined,
  ): Promise<BookingEntity> {
    const input = parseInput(payBookingInput, raw);
    return em.fork().transactional(async (tx) => {
      const booking = await this.#lockVisible(tx, user, input.bookingId);
      if (booking.paymentIdempotencyKey === input.idempotencyKey) return booking;
      if (booking.paymentIdempotencyKey) {
        throw badInput(
          `bookingId: this booking is already ${booking.status} with another payment`,
          'bookingId',
        );
      }
      if (
        booking.status === BookingStatus.EXPIRED ||
        (booking.status === BookingStatus.HELD && booking.holdExpiresAt! <= new Date())
      ) {
        throw appError(ErrorCode.HOLD_EXPIRED, 'The seat hold has expired: create a new booking');
      }
      if (booking.status !== BookingStatus.HELD)
        throw badInput(`bookingId: a ${booking.status} booking cannot be paid`, 'bookingId');

      const seats = await bookingStore.seats(tx, booking.id);
      const kept = await this.#deps.holds.extend(
        booking.flightId,
        seats,
        booking.id,
        this.#deps.paymentWindowSeconds * 1000,
      );
      if (kept < seats.length)
        throw appError(ErrorCode.HOLD_EXPIRED, 'The seat hold has expired: create a new booking');

      let paymentId: string;
      try {
        ({ paymentId } = await this.#deps.payments.requestPayment(
          {
            bookingId: booking.id,
            customerId: booking.customerId,
            amount: { amountMinor: booking.totalMinor, currency: booking.currency },
            card: input.card,
            idempotencyKey: input.idempotencyKey,
          },
          authorization,
        ));
      } catch (err) {
        // Nothing was charged and nothing changes here: the booking stays HELD and payable.
        throw paymentError(err);
      }
      booking.status = BookingStatus.PAYMENT_PENDING;
      booking.sagaStep = SagaStep.AWAITING_PAYMENT;
      booking.paymentId = paymentId;
      booking.paymentIdempotencyKey = input.idempotencyKey;
      booking.holdExpiresAt = null;
      return booking;
    });
  }

  /** Cancels a booking of the caller's (or any, for an agent): seats released, payment refunded. */
  async cancel(em: EntityManager, user: AuthUser, raw: unknown): Promise<BookingEntity> {
    const input = parseInput(cancelBookingInput, raw);
    const result = await em.fork().transactional(async (tx) => {
      const booking = await this.#lockVisible(tx, user, input.id);
      if (
        booking.status === BookingStatus.EXPIRED ||
        booking.status === BookingStatus.PAYMENT_FAILED
      ) {
        throw badInput(`id: a ${booking.status} booking has nothing left to cancel`, 'id');
      }
      await this.#deps.saga.cancel(
        tx,
        booking,
        isAgent(user) && booking.customerId !== user.id ? 'AGENT' : 'CUSTOMER',
        input.reason ?? null,
      );
      return booking;
    });
    return result;
  }

  /** The user's own bookings (or any customer's, for an agent), newest first. */
  async ofCustomer(
    em: EntityManager,
    user: AuthUser,
    customerId: string,
  ): Promise<BookingEntity[]> {
    if (user.id !== customerId && !isAgent(user))
      throw forbidden('You may only see your own bookings');
    return em.find(Booking, { customerId }, { orderBy: { createdAt: 'desc' } });
  }
}

/** The booking if the user may see it (own, or any for an agent); NOT_FOUND otherwise, without telling which. */
function visibleTo(user: AuthUser, booking: BookingEntity | null, id: string): BookingEntity {
  if (!booking || (booking.customerId !== user.id && !isAgent(user))) throw notFound('Booking', id);
  return booking;
}

function paymentError(err: unknown): Error {
  if (err instanceof DependencyRejectedError) {
    if (err.code === ErrorCode.IDEMPOTENCY_CONFLICT)
      return appError(ErrorCode.IDEMPOTENCY_CONFLICT, err.message);
    if (err.code === ErrorCode.BAD_USER_INPUT) return badInput(`card: ${err.message}`, 'card');
    if (err.code === ErrorCode.PAYMENT_DECLINED)
      return appError(ErrorCode.PAYMENT_DECLINED, err.message);
  }
  if (err instanceof DependencyUnavailableError || err instanceof DependencyRejectedError) {
    return appError(
      ErrorCode.PAYMENT_UNAVAILABLE,
      'Payments are unavailable right now: your seats stay held, try again shortly',
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}
