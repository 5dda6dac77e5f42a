import { newEvent, type EventEnvelope, type MinorMoney } from '@airline/shared';
import type { PaymentEntity, RefundEntity } from './payment.entity.ts';
import { failureMessage } from './failure-codes.ts';

// Payment events are about the payment (aggregate) and belong to the booking's saga
// (correlation). Bookings matches each result to the request it made (payment id or its
// idempotency key, booking, customer, amount) before it acts on it.

const moneyOf = (payment: PaymentEntity): MinorMoney => ({
  amountMinor: payment.amountMinor,
  currency: payment.currency,
});

/** PaymentCompleted for a payment that has just succeeded. */
export function paymentCompleted(payment: PaymentEntity): EventEnvelope<'PaymentCompleted'> {
  return newEvent(
    'PaymentCompleted',
    payment.id,
    {
      paymentId: payment.id,
      bookingId: payment.bookingId,
      customerId: payment.customerId,
      amount: moneyOf(payment),
      idempotencyKey: payment.idempotencyKey,
      cardBrand: payment.cardBrand,
      cardLast4: payment.cardLast4,
    },
    payment.bookingId,
  );
}

/** PaymentFailed for a payment that has just failed with `failureReason`. */
export function paymentFailed(payment: PaymentEntity): EventEnvelope<'PaymentFailed'> {
  const code = payment.failureReason ?? 'unknown';
  return newEvent(
    'PaymentFailed',
    payment.id,
    {
      paymentId: payment.id,
      bookingId: payment.bookingId,
      customerId: payment.customerId,
      amount: moneyOf(payment),
      idempotencyKey: payment.idempotencyKey,
      code,
      reason: failureMessage(code),
    },
    payment.bookingId,
  );
}

/** PaymentRefunded for a refund that has just been recorded. */
export function paymentRefunded(
  payment: PaymentEntity,
  refund: RefundEntity,
): EventEnvelope<'PaymentRefunded'> {
  return newEvent(
    'PaymentRefunded',
    payment.id,
    {
      paymentId: payment.id,
      refundId: refund.id,
      bookingId: payment.bookingId,
      customerId: payment.customerId,
      amount: { amountMinor: refund.amountMinor, currency: refund.currency },
      reason: refund.reason,
    },
    payment.bookingId,
  );
}
