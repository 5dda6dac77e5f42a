import { payloadOf, type HandlerMap, type TransactionContext } from '@airline/shared';
import { BookingState, Kind } from '../notification/vocabulary.ts';
import type { MessageTemplates } from '../composing/templates.ts';
import { recordWritten } from '../composing/written-messages.ts';
import {
  bookingOwner,
  lockBooking,
  recordBooking,
  recordRefund,
} from '../requests/booking-copies.ts';
import {
  dropReminders,
  moveReminders,
  refundArrived,
  refundTotals,
  reminderDueAt,
  requestForFlight,
  requestMessage,
} from '../requests/message-requests.ts';
import {
  bookingCancelled,
  bookingConfirmed,
  bookingCreated,
  bookingExpired,
  flightCancelled,
  flightDelayed,
  gateChanged,
  paymentFailed,
  paymentRefunded,
  sendNotification,
} from './payloads.ts';

/** Timing the handlers need. */
export interface HandlerSettings {
  now: () => Date;
  reminderHoursBefore: number;
  /** How long a paid cancellation's message waits for its refund before it goes anyway. */
  refundWaitSeconds: number;
}

/** Thrown when an event needs a booking this service has not heard of yet: retried later. */
export class UnknownBookingError extends Error {
  override name = 'UnknownBookingError';
}

// Every handler runs in the inbox's transaction: what it records commits with the record that
// the event was handled, so a redelivered event changes nothing. Nothing here calls another
// service; composing the messages (contact and flight details) happens after commit.

/** Booking events: follow the booking and ask for the messages they call for. */
export function bookingEventHandlers(s: HandlerSettings): HandlerMap<TransactionContext> {
  return {
    BookingCreated: async (event, { em }) => {
      const b = payloadOf(bookingCreated, event);
      await recordBooking(em, { ...b, status: BookingState.HELD, total: b.total });
    },
    BookingConfirmed: async (event, { em }) => {
      const b = payloadOf(bookingConfirmed, event);
      await recordBooking(em, { ...b, status: BookingState.CONFIRMED, total: b.total });
      // The reminder is scheduled once the confirmation is composed: only then is the departure known.
      await requestMessage(em, {
        kind: Kind.BOOKING_CONFIRMED,
        bookingId: b.bookingId,
        customerId: b.customerId,
        flightId: b.flightId,
        facts: { paymentId: b.paymentId },
        dueAt: s.now(),
        dedupeKey: `${Kind.BOOKING_CONFIRMED}:${b.bookingId}`,
      });
    },
    BookingCancelled: async (event, { em }) => {
      const b = payloadOf(bookingCancelled, event);
      await lockBooking(em, b.bookingId);
      await recordBooking(em, {
        ...b,
        status: BookingState.CANCELLED,
        passengers: null,
        total: null,
      });
      await dropReminders(em, { bookingId: b.bookingId }, 'booking cancelled');
      // A paid booking's message states the refund actually made: it waits for PaymentRefunded
      // (refundArrived makes it due), or goes after the wait saying the refund is on its way.
      const refunded = (await refundTotals(em, [b.bookingId])).get(b.bookingId);
      const waitForRefund = b.refund !== null && !refunded?.get(b.refund.currency);
      await requestMessage(em, {
        kind: b.cause === 'FLIGHT_CANCELLED' ? Kind.FLIGHT_CANCELLED : Kind.BOOKING_CANCELLED,
        bookingId: b.bookingId,
        customerId: b.customerId,
        flightId: b.flightId,
        facts: { cause: b.cause, reason: b.reason, refundExpected: b.refund },
        dueAt: new Date(s.now().getTime() + (waitForRefund ? s.refundWaitSeconds * 1000 : 0)),
        dedupeKey: `CANCELLED:${b.bookingId}`,
      });
    },
    BookingExpired: async (event, { em }) => {
      const b = payloadOf(bookingExpired, event);
      await recordBooking(em, {
        ...b,
        status: BookingState.EXPIRED,
        passengers: null,
        total: null,
      });
      await requestMessage(em, {
        kind: Kind.HOLD_EXPIRED,
        bookingId: b.bookingId,
        customerId: b.customerId,
        flightId: b.flightId,
        facts: { holdExpiredAt: b.holdExpiredAt },
        dueAt: s.now(),
        dedupeKey: `${Kind.HOLD_EXPIRED}:${b.bookingId}`,
      });
    },
  };
}

/** Payment events: a failed payment is told; a refund completes a cancellation message. */
export function paymentEventHandlers(s: HandlerSettings): HandlerMap<TransactionContext> {
  return {
    PaymentFailed: async (event, { em }) => {
      const p = payloadOf(paymentFailed, event);
      const owner = await bookingOwner(em, p.bookingId);
      // BookingCreated comes long before any payment; if it has not been handled yet, retry.
      if (!owner) throw new UnknownBookingError(`booking ${p.bookingId} is not known yet`);
      await requestMessage(em, {
        kind: Kind.PAYMENT_FAILED,
        bookingId: p.bookingId,
        customerId: owner.customerId,
        flightId: owner.flightId,
        facts: { amount: p.amount, code: p.code, reason: p.reason },
        dueAt: s.now(),
        dedupeKey: `${Kind.PAYMENT_FAILED}:${p.paymentId}`,
      });
    },
    PaymentRefunded: async (event, { em }) => {
      const r = payloadOf(paymentRefunded, event);
      await lockBooking(em, r.bookingId);
      await recordRefund(em, { refundId: r.refundId, bookingId: r.bookingId, ...r.amount });
      await refundArrived(em, r.bookingId);
    },
  };
}

/** Flight events: every passenger hears of a delay or gate change; reminders follow the flight. */
export function flightEventHandlers(s: HandlerSettings): HandlerMap<TransactionContext> {
  return {
    FlightDelayed: async (event, { em }) => {
      const f = payloadOf(flightDelayed, event);
      await requestForFlight(em, {
        kind: Kind.FLIGHT_DELAYED,
        flightId: f.flightId,
        facts: {
          oldDepartureTime: f.oldDepartureTime,
          newDepartureTime: f.newDepartureTime,
          oldArrivalTime: f.oldArrivalTime,
          newArrivalTime: f.newArrivalTime,
          reason: f.reason,
        },
        dedupePrefix: `${Kind.FLIGHT_DELAYED}:${event.id}`,
      });
      await moveReminders(
        em,
        f.flightId,
        reminderDueAt(new Date(f.newDepartureTime), s.reminderHoursBefore),
      );
    },
    GateChanged: async (event, { em }) => {
      const g = payloadOf(gateChanged, event);
      await requestForFlight(em, {
        kind: Kind.GATE_CHANGED,
        flightId: g.flightId,
        facts: { oldGate: g.oldGate, newGate: g.newGate },
        dedupePrefix: `${Kind.GATE_CHANGED}:${event.id}`,
      });
    },
    // Its passengers are told through the BookingCancelled bookings sends for each booking,
    // which carries the refund; here only the reminders go.
    FlightCancelled: async (event, { em }) => {
      const f = payloadOf(flightCancelled, event);
      await dropReminders(em, { flightId: f.flightId }, 'flight cancelled');
    },
  };
}

/** SendNotification: a message another service wrote, queued as it is. */
export function commandHandlers(templates: MessageTemplates): HandlerMap<TransactionContext> {
  return {
    SendNotification: async (command, { em }) => {
      const c = payloadOf(sendNotification, command);
      await recordWritten(em, templates, { ...c, commandId: command.id });
    },
  };
}
