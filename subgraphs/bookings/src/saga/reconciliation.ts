// What the saga reconciler does about one booking whose saga has not moved for too long, decided
// from payments' records (the source of truth for money) without any I/O, so every case can be
// tested on its own. The reconciler (reconciler.ts) reads, decides, and applies the remedy with
// the booking row locked; status changes go through the booking machine like any other input.
import { newCommand, type Message, type PaymentRecord } from '@airline/shared';
import type { BookingInput } from '../booking/booking-machine.ts';
import { BookingStatus, SagaStep } from '../booking/booking-status.ts';
import type { BookingEntity } from '../booking/booking.entity.ts';

/** The booking as the reconciler read it. */
export type ReconciledBooking = Pick<
  BookingEntity,
  | 'id'
  | 'status'
  | 'sagaStep'
  | 'customerId'
  | 'flightId'
  | 'paymentId'
  | 'paymentRequestKey'
  | 'paymentRequestedAt'
  | 'statusVersion'
>;

/** What to do. */
export type Remedy =
  /** Feed the booking machine what the lost message would have said. */
  | { kind: 'apply'; input: BookingInput; why: string }
  /** Ask flights again to confirm the seats (it answers from its inventory; idempotent). */
  | { kind: 'confirm-seats'; why: string }
  /** Give back money payments holds for this booking and should not. */
  | { kind: 'refund'; payments: PaymentRecord[]; why: string }
  /** Payments and the booking agree: remember it, look no more until the status changes. */
  | { kind: 'verified' }
  /** Something is still on its way (a charge, a refund): look again later. */
  | { kind: 'wait'; why: string };

// A payment whose money was taken at some point (given back since or not).
const CHARGED = new Set<PaymentRecord['status']>(['SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED']);

/** Money a payment still holds, counting refunds on their way as given back. */
const kept = (p: PaymentRecord): number =>
  CHARGED.has(p.status) ? p.amount.amountMinor - p.refundedMinor - p.refundingMinor : 0;

/** PaymentCompleted / PaymentFailed as payments would have published it for this record. */
function resultOf(p: PaymentRecord): BookingInput {
  const result = {
    paymentId: p.paymentId,
    bookingId: p.bookingId,
    customerId: p.customerId,
    amount: p.amount,
    idempotencyKey: p.idempotencyKey,
    messageId: `reconciler:${p.paymentId}`,
  };
  if (p.status === 'FAILED') {
    const code = p.failureReason ?? 'unknown';
    return {
      type: 'PaymentFailed',
      result: { ...result, code, reason: `payment failed: ${code}` },
    };
  }
  return { type: 'PaymentCompleted', result };
}

/** The payment's outcome as the machine takes it, or what to wait for. */
function outcome(p: PaymentRecord | undefined, what: string): Remedy | undefined {
  if (!p) return undefined;
  if (p.status === 'PENDING')
    return { kind: 'wait', why: `${what} is still being charged (payments' recovery settles it)` };
  if (p.status === 'SUCCEEDED' || p.status === 'FAILED')
    return { kind: 'apply', input: resultOf(p), why: `${what} is ${p.status} in payments` };
  // Refunded before the booking heard it was paid: not a payment to confirm a booking with.
  return { kind: 'wait', why: `${what} is ${p.status} while the booking waits for it` };
}

/** Decides the remedy for one booking from payments' records of it. */
export function remedyFor(b: ReconciledBooking, payments: readonly PaymentRecord[]): Remedy {
  // Paid, waiting for flights: flights answers ConfirmSeats from its inventory, again if need be.
  if (b.status === BookingStatus.PAYMENT_PENDING && b.sagaStep === SagaStep.CONFIRMING_SEATS)
    return { kind: 'confirm-seats', why: 'no answer from flights to ConfirmSeats' };

  // Waiting for the payment's result: payments' record of that payment is the result.
  if (b.status === BookingStatus.PAYMENT_PENDING) {
    const own = payments.find((p) => p.paymentId === b.paymentId);
    return (
      outcome(own, `payment ${b.paymentId}`) ?? {
        kind: 'wait',
        why: `payments has no payment ${b.paymentId}`,
      }
    );
  }

  // HELD with a payment request out and no answer: the process that sent it died. Either
  // payments took it (and its record is the answer) or it never will, and the booking is
  // payable again (or expires).
  if (b.status === BookingStatus.HELD && b.paymentRequestedAt && b.paymentRequestKey) {
    const taken = payments.find((p) => p.idempotencyKey === b.paymentRequestKey);
    return (
      outcome(taken, 'the payment requested') ?? {
        kind: 'apply',
        input: {
          type: 'PaymentRequestFailed',
          requestKey: b.paymentRequestKey,
          reservedAt: b.paymentRequestedAt,
        },
        why: 'payments never took the payment request',
      }
    );
  }

  if (b.status === BookingStatus.HELD) return { kind: 'wait', why: 'the hold is still running' };

  // Ended or confirmed: every payment of the booking must be settled, and hold money only if it
  // is the confirmed booking's own.
  if (payments.some((p) => p.status === 'PENDING'))
    return { kind: 'wait', why: 'a payment of the booking is still being charged' };
  const mayKeep = (p: PaymentRecord) =>
    b.status === BookingStatus.CONFIRMED && p.paymentId === b.paymentId;
  const toRefund = payments.filter((p) => !mayKeep(p) && kept(p) > 0);
  if (toRefund.length)
    return {
      kind: 'refund',
      payments: toRefund,
      why: `a ${b.status} booking has money taken and not given back`,
    };
  if (payments.some((p) => p.refundingMinor > 0))
    return { kind: 'wait', why: 'a refund is on its way to the provider' };
  return { kind: 'verified' };
}

/** The RefundPayment of a payment the reconciler gives back (payments refunds what is left). */
export function refundCommand(b: ReconciledBooking, p: PaymentRecord, why: string): Message {
  return newCommand(
    'RefundPayment',
    b.id,
    {
      paymentId: p.paymentId,
      bookingId: b.id,
      customerId: p.customerId,
      amount: null,
      reason: `saga reconciler: ${why}`,
    },
    b.id,
  );
}

/** ConfirmSeats again for a paid booking whose confirmation went unanswered. */
export function confirmSeatsCommand(b: ReconciledBooking, seats: readonly string[]): Message {
  return newCommand(
    'ConfirmSeats',
    b.id,
    { bookingId: b.id, flightId: b.flightId, seats: [...seats] },
    b.id,
  );
}
