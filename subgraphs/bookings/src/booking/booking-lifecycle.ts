import { LockMode } from '@mikro-orm/core';
import {
  appError,
  enqueue,
  type CancellationCause,
  type EntityManager,
  type Logger,
  type SeatHolds,
} from '@airline/shared';
import { BookingStatus, SagaStep } from './booking-status.ts';
import { Booking, type BookingEntity, type BookingPassengerEntity } from './booking.entity.ts';
import { bookingStore } from './booking-store.ts';
import { ticketNumber } from './identifiers.ts';
import { decide, type BookingInput, type BookingState, type Decision } from './booking-machine.ts';
import { changeStatus } from './status-change.ts';

/** What applying an input did, with the booking as it is now. */
export interface Applied {
  booking: BookingEntity;
  decision: Decision;
}

/**
 * Applies the booking machine's decisions: the one place a booking changes. Each call runs in the
 * caller's transaction with the booking row locked, and the messages of a decision leave through
 * the outbox of that transaction, so a crash either rolls a step back (and the message that
 * caused it is redelivered) or commits it whole. A refusal is logged and changes nothing.
 */
export class BookingLifecycle {
  readonly #holds: SeatHolds;
  readonly #logger: Logger;
  readonly #now: () => Date;

  constructor(holds: SeatHolds, logger: Logger, now: () => Date = () => new Date()) {
    this.#holds = holds;
    this.#logger = logger;
    this.#now = now;
  }

  /**
   * Decides and applies one input to a booking the caller has locked (or just created).
   * `passengers` may be given when the caller has them (a booking being created).
   */
  async apply(
    em: EntityManager,
    booking: BookingEntity,
    input: BookingInput,
    passengers?: BookingPassengerEntity[],
  ): Promise<Decision> {
    const people = passengers ?? (await bookingStore.passengers(em, booking.id));
    const decision = decide(stateOf(booking, people), input, this.#now());
    this.#log(booking, input, decision);
    if (decision.outcome === 'refused') return decision;
    if (decision.outcome === 'applied') {
      Object.assign(booking, decision.changes);
      for (const to of decision.statuses) changeStatus(em, booking, to);
      if (decision.tickets) {
        for (const p of people) p.ticketNumber = decision.tickets.get(p.seat) ?? p.ticketNumber;
      }
      if (decision.releaseHolds) {
        await this.#holds.release(
          booking.flightId,
          people.map((p) => p.seat),
          booking.id,
        );
      }
    }
    for (const message of decision.messages) enqueue(em, message);
    return decision;
  }

  /** Locks the booking and applies one input; null when there is no such booking. */
  async applyTo(
    em: EntityManager,
    bookingId: string,
    input: BookingInput,
  ): Promise<Applied | null> {
    const booking = await bookingStore.lock(em, bookingId);
    if (!booking) return null;
    return { booking, decision: await this.apply(em, booking, input) };
  }

  /** Flights booked the seats: fresh ticket numbers, one per passenger, go in with the event. */
  async seatsConfirmed(
    em: EntityManager,
    bookingId: string,
    seats: readonly string[],
  ): Promise<Applied | null> {
    const booking = await bookingStore.lock(em, bookingId);
    if (!booking) return null;
    const passengers = await bookingStore.passengers(em, booking.id);
    // Allocated before deciding, as the machine is pure; only a booking whose seats are being
    // booked can use them (anything else is decided without looking at them).
    const ticketNumbers =
      booking.sagaStep === SagaStep.CONFIRMING_SEATS
        ? await Promise.all(
            passengers.map(async () => ticketNumber(await bookingStore.nextTicketSerial(em))),
          )
        : [];
    const decision = await this.apply(
      em,
      booking,
      { type: 'SeatsConfirmed', seats, ticketNumbers },
      passengers,
    );
    return { booking, decision };
  }

  /** Cancels a booking the caller has locked, with the compensations its steps need. */
  cancel(
    em: EntityManager,
    booking: BookingEntity,
    cause: CancellationCause,
    reason: string | null,
  ): Promise<Decision> {
    return this.apply(em, booking, { type: 'CancelBooking', cause, reason });
  }

  /**
   * The airline cancelled a flight: every live booking on it is cancelled (and refunded), one
   * after the other, each row locked in creation order.
   */
  async cancelFlight(em: EntityManager, flightId: string, reason: string): Promise<number> {
    const live = await em.find(
      Booking,
      {
        flightId,
        status: {
          $in: [BookingStatus.HELD, BookingStatus.PAYMENT_PENDING, BookingStatus.CONFIRMED],
        },
      },
      { orderBy: { createdAt: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    for (const booking of live) await this.cancel(em, booking, 'FLIGHT_CANCELLED', reason);
    return live.length;
  }

  /** Ends a hold whose time is up (the sweeper calls this with the row locked). */
  expire(em: EntityManager, booking: BookingEntity): Promise<Decision> {
    return this.apply(em, booking, { type: 'ExpireHold' });
  }

  #log(booking: BookingEntity, input: BookingInput, decision: Decision): void {
    const context = { bookingId: booking.id, input: input.type, status: booking.status };
    if (decision.outcome === 'refused') {
      this.#logger.warn(
        { ...context, why: decision.why },
        'refused by the booking state machine: nothing changed',
      );
      return;
    }
    if (decision.note) {
      const { level, msg, fields } = decision.note;
      this.#logger[level]({ ...context, ...fields }, msg);
    } else if (decision.outcome === 'unchanged') {
      // A duplicate or a late message: expected now and then, worth a line when it happens.
      this.#logger.info({ ...context, why: decision.why }, 'booking unchanged');
    }
  }
}

/** The machine's view of a booking and its passengers. */
export function stateOf(
  booking: BookingEntity,
  passengers: BookingPassengerEntity[],
): BookingState {
  const b = booking;
  return {
    id: b.id,
    reference: b.reference,
    customerId: b.customerId,
    flightId: b.flightId,
    status: b.status,
    statusVersion: b.statusVersion,
    sagaStep: b.sagaStep ?? null,
    totalMinor: b.totalMinor,
    currency: b.currency,
    holdExpiresAt: b.holdExpiresAt ?? null,
    paymentId: b.paymentId ?? null,
    paymentIdempotencyKey: b.paymentIdempotencyKey ?? null,
    paymentRequestKey: b.paymentRequestKey ?? null,
    paymentRequestedAt: b.paymentRequestedAt ?? null,
    paidMinor: b.paidMinor ?? null,
    paidCurrency: b.paidCurrency ?? null,
    paymentFailures: b.paymentFailures ?? 0,
    paymentErrorCode: b.paymentErrorCode ?? null,
    paymentErrorMessage: b.paymentErrorMessage ?? null,
    statusReason: b.statusReason ?? null,
    passengers: passengers.map(({ givenName, familyName, seat, ticketNumber }) => ({
      givenName,
      familyName,
      seat,
      ticketNumber: ticketNumber ?? null,
    })),
  };
}

/** The client error of a refused decision (mutations throw it). */
export function refusal(decision: Extract<Decision, { outcome: 'refused' }>): Error {
  return appError(
    decision.code,
    decision.why,
    decision.field ? { field: decision.field } : undefined,
  );
}
