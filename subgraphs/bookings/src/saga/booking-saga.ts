import { z } from 'zod';
import {
  enqueue,
  payloadOf,
  type HandlerMap,
  type Logger,
  type Message,
  type TransactionContext,
} from '@airline/shared';
import type { BookingLifecycle } from '../booking/booking-lifecycle.ts';
import {
  refundUntrusted,
  untrustedNote,
  type ReceivedPaymentResult,
} from '../booking/booking-machine.ts';

/**
 * The booking saga's event side, in the order the process runs. The saga is orchestrated by
 * bookings and persisted on the booking row, so a restart resumes it:
 *
 *   1. hold the seats      createBooking (HELD)
 *   2. take the payment    payBooking (PAYMENT_PENDING) -> PaymentCompleted | PaymentFailed
 *   3. book the seats      ConfirmSeats -> SeatsConfirmed | SeatsRejected
 *   4. issue the tickets   CONFIRMED, BookingConfirmed
 *
 * and from outside the process, the airline cancelling the flight. Each message is validated,
 * then handed to the booking's transition function (`booking/booking-machine.ts`), which decides
 * the next state, the messages to send and the compensations (a refund, the seats released) of
 * whatever the booking had done when it ends early or a result comes late. Every handler runs in
 * the consumer's inbox transaction with the booking row locked: a redelivered message is skipped,
 * and a crash rolls a step back whole.
 */
export function bookingSagaHandlers(
  lifecycle: BookingLifecycle,
  logger: Logger,
): HandlerMap<TransactionContext> {
  return {
    // 2. Take the payment: payments answers with the payment's result.
    PaymentCompleted: async (event, { em }) => {
      const result = { ...payloadOf(paymentCompleted, event), messageId: event.id };
      const done = await lifecycle.applyTo(em, result.bookingId, {
        type: 'PaymentCompleted',
        result,
      });
      // Money taken for a booking that does not exist: give it back.
      if (!done) unknownBookingPaid(result, logger, (m) => enqueue(em, m));
    },
    PaymentFailed: async (event, { em }) => {
      const result = { ...payloadOf(paymentFailed, event), messageId: event.id };
      const done = await lifecycle.applyTo(em, result.bookingId, { type: 'PaymentFailed', result });
      if (!done) untrusted('PaymentFailed', result, logger);
    },

    // 3. Book the seats: flights answers ConfirmSeats.
    SeatsConfirmed: async (event, { em }) => {
      const { bookingId, seats } = payloadOf(seatsConfirmed, event);
      if (!(await lifecycle.seatsConfirmed(em, bookingId, seats))) unknown(event, logger);
    },
    SeatsRejected: async (event, { em }) => {
      const { bookingId, reason } = payloadOf(seatsRejected, event);
      if (!(await lifecycle.applyTo(em, bookingId, { type: 'SeatsRejected', reason })))
        unknown(event, logger);
    },

    // Outside the process: the airline cancels the flight; every live booking on it ends.
    FlightCancelled: async (event, { em }) => {
      const { flightId, number, reason } = payloadOf(flightCancelled, event);
      await lifecycle.cancelFlight(em, flightId, `flight ${number} cancelled: ${reason}`);
    },
  };
}

// What the saga reads of each message (a tolerant reader: fields it does not use may change).
const id = z.guid();
const money = z.object({
  amountMinor: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/),
});
const paymentCompleted = z.object({
  paymentId: id,
  bookingId: id,
  customerId: id,
  amount: money,
  idempotencyKey: z.string().min(1).max(255),
});
const paymentFailed = paymentCompleted.extend({
  code: z.string().min(1).max(100),
  reason: z.string().max(1_000),
});
const seats = z.array(z.string().min(1).max(8)).min(1).max(50);
const seatsConfirmed = z.object({ bookingId: id, flightId: id, seats });
const seatsRejected = z.object({ bookingId: id, reason: z.string().max(1_000) });
const flightCancelled = z.object({
  flightId: id,
  number: z.string().max(10),
  reason: z.string().max(500),
});

function untrusted(
  type: 'PaymentCompleted' | 'PaymentFailed',
  result: ReceivedPaymentResult,
  logger: Logger,
): void {
  const { level, msg, fields } = untrustedNote(type, result, [
    { field: 'bookingId', expected: null, received: result.bookingId },
  ]);
  logger[level](fields, msg);
}

function unknownBookingPaid(
  result: ReceivedPaymentResult,
  logger: Logger,
  send: (message: Message) => void,
): void {
  untrusted('PaymentCompleted', result, logger);
  send(refundUntrusted(result));
}

function unknown(event: Message, logger: Logger): void {
  logger.warn(
    { type: event.type, id: event.id, aggregateId: event.aggregateId },
    'event for an unknown booking ignored',
  );
}
