import { createHash, randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import {
  DependencyRejectedError,
  DependencyUnavailableError,
  appError,
  badInput,
  ErrorCode,
  forbidden,
  isAgent,
  notFound,
  parseInput,
  seatHolds,
  type AuthUser,
  type EntityManager,
  type SeatHolds,
} from '@airline/shared';
import type { FlightQuote, FlightsPort } from '../clients/flights-client.ts';
import type { PaymentsPort } from '../clients/payments-client.ts';
import type { BookingLimits } from './booking-limits.ts';
import { refusal, type BookingLifecycle } from './booking-lifecycle.ts';
import type { BookingInput, Decision } from './booking-machine.ts';
import { BookingStatus } from './booking-status.ts';
import { Booking, BookingPassenger, type BookingEntity } from './booking.entity.ts';
import { bookingStore } from './booking-store.ts';
import {
  cancelBookingInput,
  createBookingInputFor,
  payBookingInput,
  type CreateBookingRequest,
} from './booking.validation.ts';
import { newReference } from './identifiers.ts';
import { holdExpired, ticketOf, type PaymentRequestTicket } from './payment-request.ts';

/** What the booking use cases need from the rest of the system. */
export interface BookingDeps {
  holds: SeatHolds;
  flights: FlightsPort;
  payments: PaymentsPort;
  /** Every change of a booking goes through it. */
  lifecycle: BookingLifecycle;
  limits: BookingLimits;
  holdTtlSeconds: number;
  /** How long seats stay held once payment has started (the provider may retry for a while). */
  paymentWindowSeconds: number;
  /** Draws a record locator (tests make two collide). */
  newReference?: () => string;
}

/** Record locators drawn for one booking before giving up (a collision is ~1 in 30,000 at 30,000 bookings). */
const REFERENCE_DRAWS = 5;

const referenceTaken = (err: unknown): boolean =>
  err instanceof UniqueConstraintViolationException &&
  (err as { constraint?: string }).constraint === 'booking_reference_unique';

/**
 * Stores a booking under a random locator, drawing again when the locator was already issued:
 * the unique constraint refuses it, and no customer should see that.
 */
async function withFreshReference<T>(
  draw: () => string,
  store: (reference: string) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await store(draw());
    } catch (err) {
      if (attempt < REFERENCE_DRAWS && referenceTaken(err)) continue;
      throw err;
    }
  }
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
  readonly #createInput: ReturnType<typeof createBookingInputFor>;

  constructor(deps: BookingDeps) {
    this.#deps = deps;
    this.#createInput = createBookingInputFor(deps.limits.maxSeatsPerBooking);
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
   * Throttled per client address and per customer, and capped in passengers and in live holds
   * per customer; every refusal comes before a seat is held.
   */
  async create(
    em: EntityManager,
    user: AuthUser,
    raw: unknown,
    clientIp: string,
  ): Promise<BookingEntity> {
    const { limits } = this.#deps;
    await limits.throttle(user, clientIp);
    const input = parseInput(this.#createInput, raw);
    const hash = requestHash(input);
    if (input.idempotencyKey) {
      const earlier = await em.findOne(Booking, {
        customerId: user.id,
        idempotencyKey: input.idempotencyKey,
      });
      if (earlier) return this.#replay(earlier, hash);
    }
    // Refused before any seat is held; the insert transaction checks it again, exactly.
    await limits.checkLiveHolds(em, user.id);
    const seats = input.passengers.map((p) => p.seat);
    const quote = await this.#quote(input.flightId, seats, user);
    const taken = quote.seats.filter((s) => s.status !== 'AVAILABLE').map((s) => s.number);
    if (taken.length) {
      seatHolds().inc({ result: 'refused' });
      throw seatUnavailable(taken);
    }

    const bookingId = randomUUID();
    const ttlMs = this.#deps.holdTtlSeconds * 1000;
    const hold = await this.#deps.holds.hold(input.flightId, seats, bookingId, ttlMs);
    if (!hold.ok) {
      seatHolds().inc({ result: 'refused' });
      throw seatUnavailable(hold.taken);
    }
    try {
      const holdExpiresAt = new Date(Date.now() + ttlMs);
      const booking = await withFreshReference(this.#deps.newReference ?? newReference, (ref) =>
        this.#store(em, user, input, quote, bookingId, hash, holdExpiresAt, ref),
      );
      seatHolds().inc({ result: 'created' });
      return booking;
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

  async #quote(flightId: string, seats: string[], user: AuthUser): Promise<FlightQuote> {
    let quote: FlightQuote;
    try {
      quote = await this.#deps.flights.quoteSeats(flightId, seats, user);
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
    reference: string,
  ): Promise<BookingEntity> {
    const currency = quote.seats[0]!.price.currency;
    const price = new Map(quote.seats.map((s) => [s.number, s.price.amountMinor]));
    return em.transactional(async (tx) => {
      await this.#deps.limits.lockLiveHolds(tx, user.id);
      const booking = tx.create(Booking, {
        id: bookingId,
        reference,
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
        paymentRequestKey: null,
        paymentRequestedAt: null,
        paidMinor: null,
        paidCurrency: null,
        statusReason: null,
        paymentFailures: 0,
        paymentErrorCode: null,
        paymentErrorMessage: null,
      });
      const passengers = input.passengers.map((p, position) =>
        tx.create(BookingPassenger, {
          bookingId,
          ...p,
          priceMinor: price.get(p.seat)!,
          ticketNumber: null,
          position,
        }),
      );
      mustApply(await this.#deps.lifecycle.apply(tx, booking, { type: 'HoldSeats' }, passengers));
      return booking;
    });
  }

  /**
   * Starts payment of a held booking and returns it PAYMENT_PENDING; the saga continues on the
   * payment's result. Reserve, then call, then record (see `payment-request.ts`): no row lock is
   * held while payments answers. The same idempotencyKey never charges twice and returns the same
   * booking (concurrent retries included); two different keys never both charge; if payments
   * cannot take the request the booking stays HELD and payable. After a failed payment the
   * booking is HELD again: another key starts a new attempt (see `booking-machine.ts`).
   */
  async pay(em: EntityManager, user: AuthUser, raw: unknown): Promise<BookingEntity> {
    const input = parseInput(payBookingInput, raw);
    const start = await em.fork().transactional(async (tx) => {
      const booking = await this.#lockVisible(tx, user, input.bookingId);
      // Read once: the machine decides with them and the payment request names their seats.
      const passengers = await bookingStore.passengers(tx, booking.id);
      const decision = mustApply(
        await this.#deps.lifecycle.apply(
          tx,
          booking,
          {
            type: 'StartPayment',
            customerKey: input.idempotencyKey,
            requestKey: randomUUID(),
          },
          passengers,
        ),
      );
      // A retry whose key has had its answer gets the booking as it is.
      if (!decision.requestPayment) return { kind: 'answered', booking } as const;
      const ticket = ticketOf(booking, passengers, decision.requestPayment.reservedAt);
      return { kind: 'request', ticket } as const;
    });
    if (start.kind === 'answered') return start.booking;
    const { ticket } = start;

    let paymentId: string;
    try {
      const kept = await this.#deps.holds.extend(
        ticket.flightId,
        ticket.seats,
        ticket.bookingId,
        this.#deps.paymentWindowSeconds * 1000,
      );
      if (kept < ticket.seats.length) throw holdExpired();
      ({ paymentId } = await this.#deps.payments.requestPayment(
        {
          bookingId: ticket.bookingId,
          customerId: ticket.customerId,
          amount: ticket.amount,
          card: input.card,
          idempotencyKey: ticket.requestKey,
        },
        user,
      ));
    } catch (err) {
      return this.#requestFailed(em, ticket, input.idempotencyKey, err);
    }
    return this.#change(em, ticket.bookingId, {
      type: 'PaymentAccepted',
      requestKey: ticket.requestKey,
      paymentId,
    });
  }

  /**
   * The payment request failed: withdraw the reservation (the booking is HELD and payable again)
   * and answer with the error, unless a concurrent retry with the same key has got the payment
   * through meanwhile, in which case its booking is the answer.
   */
  async #requestFailed(
    em: EntityManager,
    ticket: PaymentRequestTicket,
    key: string,
    err: unknown,
  ): Promise<BookingEntity> {
    const booking = await this.#change(em, ticket.bookingId, {
      type: 'PaymentRequestFailed',
      requestKey: ticket.requestKey,
      reservedAt: ticket.reservedAt,
    });
    if (booking.paymentIdempotencyKey === key && booking.paymentId) return booking;
    throw paymentError(err);
  }

  /** Applies one input to a booking in a transaction of its own; a refusal is thrown. */
  async #change(em: EntityManager, bookingId: string, input: BookingInput): Promise<BookingEntity> {
    return em.fork().transactional(async (tx) => {
      const changed = await this.#deps.lifecycle.applyTo(tx, bookingId, input);
      if (!changed) throw notFound('Booking', bookingId);
      mustApply(changed.decision);
      return changed.booking;
    });
  }

  /** Cancels a booking of the caller's (or any, for an agent): seats released, payment refunded. */
  async cancel(em: EntityManager, user: AuthUser, raw: unknown): Promise<BookingEntity> {
    const input = parseInput(cancelBookingInput, raw);
    return em.fork().transactional(async (tx) => {
      const booking = await this.#lockVisible(tx, user, input.id);
      const cause = isAgent(user) && booking.customerId !== user.id ? 'AGENT' : 'CUSTOMER';
      mustApply(await this.#deps.lifecycle.cancel(tx, booking, cause, input.reason ?? null));
      return booking;
    });
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

/** The decision unless the state machine refused it; a refusal becomes the client's error. */
function mustApply(decision: Decision): Exclude<Decision, { outcome: 'refused' }> {
  if (decision.outcome === 'refused') throw refusal(decision);
  return decision;
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
