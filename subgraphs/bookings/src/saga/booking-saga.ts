import { LockMode } from '@mikro-orm/core';
import {
  enqueue,
  newCommand,
  newEvent,
  type CancellationCause,
  type EntityManager,
  type EventEnvelope,
  type Logger,
  type SeatHolds,
} from '@airline/shared';
import { BookingStatus, SagaStep } from '../booking/booking-status.ts';
import { Booking, type BookingEntity } from '../booking/booking.entity.ts';
import { bookingStore } from '../booking/booking-store.ts';
import { ticketNumber } from '../booking/identifiers.ts';

/**
 * The booking saga, orchestrated here and persisted on the booking row (status + saga step):
 *
 *   hold seats (createBooking) -> payment requested (payBooking) -> PaymentCompleted
 *     -> ConfirmSeats (flights) -> SeatsConfirmed -> CONFIRMED + tickets -> BookingConfirmed
 *
 * Compensations, each triggered by the event that makes it necessary:
 *   PaymentFailed                      -> PAYMENT_FAILED, seats released
 *   SeatsRejected                      -> refund + release, CANCELLED
 *   PaymentCompleted for a booking that already ended (expired, cancelled) -> refund
 *   SeatsConfirmed for a booking that already ended                         -> release the seats
 *
 * Every step runs inside the consumer's inbox transaction with the booking row locked, and the
 * messages it sends go through the outbox of that same transaction: a crash at any point either
 * rolls the whole step back (the message is redelivered) or commits it with its messages.
 */
export class BookingSaga {
  readonly #holds: SeatHolds;
  readonly #logger: Logger;

  constructor(holds: SeatHolds, logger: Logger) {
    this.#holds = holds;
    this.#logger = logger;
  }

  /** Payment succeeded: ask flights to book the seats in its inventory. */
  async paymentCompleted(
    em: EntityManager,
    event: EventEnvelope<'PaymentCompleted'>,
  ): Promise<void> {
    const { bookingId, paymentId, amount } = event.payload;
    const booking = await bookingStore.lock(em, bookingId);
    if (!booking) return this.#unknown(event);
    if (
      booking.sagaStep === SagaStep.CONFIRMING_SEATS ||
      booking.status === BookingStatus.CONFIRMED
    )
      return;
    if (booking.status === BookingStatus.HELD || booking.status === BookingStatus.PAYMENT_PENDING) {
      booking.status = BookingStatus.PAYMENT_PENDING;
      booking.sagaStep = SagaStep.CONFIRMING_SEATS;
      booking.paymentId = paymentId;
      booking.holdExpiresAt = null;
      const seats = await bookingStore.seats(em, booking.id);
      enqueue(
        em,
        newCommand(
          'ConfirmSeats',
          booking.id,
          { bookingId, flightId: booking.flightId, seats },
          bookingId,
        ),
      );
      return;
    }
    // The booking ended while the payment was in flight: give the money back.
    this.#logger.warn(
      { bookingId, status: booking.status },
      'payment completed for an ended booking: refunding',
    );
    enqueue(
      em,
      newCommand(
        'RefundPayment',
        booking.id,
        {
          paymentId,
          bookingId,
          customerId: booking.customerId,
          amount,
          reason: `booking was ${booking.status} when the payment completed`,
        },
        bookingId,
      ),
    );
  }

  /** Payment declined or impossible: the booking fails and its seats are free again. */
  async paymentFailed(em: EntityManager, event: EventEnvelope<'PaymentFailed'>): Promise<void> {
    const booking = await bookingStore.lock(em, event.payload.bookingId);
    if (!booking) return this.#unknown(event);
    const awaiting =
      booking.status === BookingStatus.HELD || booking.status === BookingStatus.PAYMENT_PENDING;
    if (!awaiting || booking.sagaStep === SagaStep.CONFIRMING_SEATS) return;
    booking.status = BookingStatus.PAYMENT_FAILED;
    booking.sagaStep = null;
    booking.holdExpiresAt = null;
    booking.paymentId = event.payload.paymentId;
    booking.statusReason = `payment failed: ${event.payload.code}`;
    await this.#releaseHolds(em, booking);
  }

  /** Flights booked the seats: issue tickets and confirm. */
  async seatsConfirmed(em: EntityManager, event: EventEnvelope<'SeatsConfirmed'>): Promise<void> {
    const booking = await bookingStore.lock(em, event.payload.bookingId);
    if (!booking) return this.#unknown(event);
    if (booking.status === BookingStatus.CONFIRMED) return;
    if (booking.sagaStep !== SagaStep.CONFIRMING_SEATS) {
      // Cancelled (e.g. its flight was) while flights was confirming: undo the inventory booking.
      enqueue(
        em,
        newCommand(
          'ReleaseSeats',
          booking.id,
          {
            bookingId: booking.id,
            flightId: booking.flightId,
            seats: event.payload.seats,
            reason: `booking is ${booking.status}`,
          },
          booking.id,
        ),
      );
      return;
    }
    const passengers = await bookingStore.passengers(em, booking.id);
    for (const p of passengers)
      p.ticketNumber = ticketNumber(await bookingStore.nextTicketSerial(em));
    booking.status = BookingStatus.CONFIRMED;
    booking.sagaStep = null;
    booking.statusReason = null;
    // The seats are BOOKED in flights' inventory now; the Redis hold has done its job.
    await this.#holds.release(
      booking.flightId,
      passengers.map((p) => p.seat),
      booking.id,
    );
    enqueue(
      em,
      newEvent(
        'BookingConfirmed',
        booking.id,
        {
          bookingId: booking.id,
          reference: booking.reference,
          customerId: booking.customerId,
          flightId: booking.flightId,
          seats: passengers.map((p) => p.seat),
          passengers: passengers.map((p) => ({
            givenName: p.givenName,
            familyName: p.familyName,
            seat: p.seat,
            ticketNumber: p.ticketNumber ?? undefined,
          })),
          total: { amountMinor: booking.totalMinor, currency: booking.currency },
          paymentId: booking.paymentId!,
        },
        booking.id,
      ),
    );
  }

  /** Flights could not book a seat (someone's expired hold was taken): refund and release. */
  async seatsRejected(em: EntityManager, event: EventEnvelope<'SeatsRejected'>): Promise<void> {
    const booking = await bookingStore.lock(em, event.payload.bookingId);
    if (!booking) return this.#unknown(event);
    if (booking.sagaStep !== SagaStep.CONFIRMING_SEATS) return;
    await this.cancel(
      em,
      booking,
      'SEAT_CONFIRMATION_FAILED',
      `seat confirmation failed: ${event.payload.reason}`,
    );
  }

  /** The airline cancelled the flight: every live booking on it is cancelled and refunded. */
  async flightCancelled(em: EntityManager, event: EventEnvelope<'FlightCancelled'>): Promise<void> {
    const live = await em.find(
      Booking,
      {
        flightId: event.payload.flightId,
        status: {
          $in: [BookingStatus.HELD, BookingStatus.PAYMENT_PENDING, BookingStatus.CONFIRMED],
        },
      },
      { orderBy: { createdAt: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    for (const booking of live) {
      await this.cancel(
        em,
        booking,
        'FLIGHT_CANCELLED',
        `flight ${event.payload.number} cancelled: ${event.payload.reason}`,
      );
    }
  }

  /**
   * Cancels a live booking with the compensation its step needs: release the seats, refund what
   * was paid. Idempotent on an already cancelled booking.
   */
  async cancel(
    em: EntityManager,
    booking: BookingEntity,
    cause: CancellationCause,
    reason: string | null,
  ): Promise<void> {
    if (booking.status === BookingStatus.CANCELLED) return;
    const paid =
      booking.status === BookingStatus.CONFIRMED || booking.sagaStep === SagaStep.CONFIRMING_SEATS;
    booking.status = BookingStatus.CANCELLED;
    booking.sagaStep = null;
    booking.holdExpiresAt = null;
    booking.statusReason = reason;
    const seats = await this.#releaseHolds(em, booking);
    const refund = paid ? { amountMinor: booking.totalMinor, currency: booking.currency } : null;
    if (paid && booking.paymentId) {
      enqueue(
        em,
        newCommand(
          'RefundPayment',
          booking.id,
          {
            paymentId: booking.paymentId,
            bookingId: booking.id,
            customerId: booking.customerId,
            amount: null,
            reason: reason ?? cause,
          },
          booking.id,
        ),
      );
    }
    enqueue(
      em,
      newEvent(
        'BookingCancelled',
        booking.id,
        {
          bookingId: booking.id,
          reference: booking.reference,
          customerId: booking.customerId,
          flightId: booking.flightId,
          seats,
          cause,
          reason,
          paymentId: paid ? (booking.paymentId ?? null) : null,
          refund,
        },
        booking.id,
      ),
    );
  }

  /** Ends an unpaid hold whose time is up (the expiry sweeper calls this with the row locked). */
  async expire(em: EntityManager, booking: BookingEntity): Promise<void> {
    if (booking.status !== BookingStatus.HELD) return;
    const expiredAt = booking.holdExpiresAt ?? new Date();
    booking.status = BookingStatus.EXPIRED;
    booking.holdExpiresAt = null;
    booking.statusReason = 'the seat hold expired before payment';
    const seats = await this.#releaseHolds(em, booking);
    enqueue(
      em,
      newEvent(
        'BookingExpired',
        booking.id,
        {
          bookingId: booking.id,
          reference: booking.reference,
          customerId: booking.customerId,
          flightId: booking.flightId,
          seats,
          holdExpiredAt: expiredAt.toISOString(),
        },
        booking.id,
      ),
    );
  }

  async #releaseHolds(em: EntityManager, booking: BookingEntity): Promise<string[]> {
    const seats = await bookingStore.seats(em, booking.id);
    await this.#holds.release(booking.flightId, seats, booking.id);
    return seats;
  }

  #unknown(event: EventEnvelope): void {
    this.#logger.warn(
      { type: event.type, id: event.id, aggregateId: event.aggregateId },
      'event for an unknown booking ignored',
    );
  }
}
