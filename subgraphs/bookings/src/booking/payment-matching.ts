import type { MinorMoney } from '@airline/shared';
import type { BookingEntity } from './booking.entity.ts';

/** What a payment result (PaymentCompleted / PaymentFailed) says about the payment. */
export interface PaymentResult {
  paymentId: string;
  bookingId: string;
  customerId: string;
  amount: MinorMoney;
  idempotencyKey: string;
}

/** One field of a result that is not what bookings asked for. */
export interface Mismatch {
  field: 'bookingId' | 'paymentId' | 'idempotencyKey' | 'customerId' | 'amount';
  expected: string | number | null;
  received: string | number;
}

/** Whether a payment result is the answer to the request bookings made for the booking. */
export type PaymentMatch =
  | { matches: true }
  | {
      matches: false;
      mismatches: Mismatch[];
      /**
       * The result names the payment this booking requested (its id or its request key) but
       * disagrees on the rest: not a payment to give back on this message's word, since the
       * genuine result of that payment may still come and must then be matched.
       */
      claimsOurPayment: boolean;
    };

/**
 * Checks a payment result against what bookings requested and recorded: the booking, the
 * payment (its id once payments answered, else the request key the result carries back), the
 * customer and the amount with its currency. Anything else may be a forgery or another party's
 * payment and must not move the booking.
 */
export function matchPaymentResult(
  booking: Pick<
    BookingEntity,
    'paymentId' | 'paymentRequestKey' | 'customerId' | 'totalMinor' | 'currency'
  > | null,
  result: PaymentResult,
): PaymentMatch {
  if (!booking) {
    return {
      matches: false,
      mismatches: [{ field: 'bookingId', expected: null, received: result.bookingId }],
      claimsOurPayment: false,
    };
  }
  const mismatches: Mismatch[] = [];
  const differs = (
    field: Mismatch['field'],
    expected: string | number | null,
    received: string | number,
  ) => {
    if (expected !== received) mismatches.push({ field, expected, received });
  };
  const recordedPaymentId = booking.paymentId ?? null;
  const requestKey = booking.paymentRequestKey ?? null;
  // Before payments answered, the request key is all bookings knows of the payment.
  if (recordedPaymentId !== null) differs('paymentId', recordedPaymentId, result.paymentId);
  differs('idempotencyKey', requestKey, result.idempotencyKey);
  differs('customerId', booking.customerId, result.customerId);
  differs(
    'amount',
    `${booking.totalMinor} ${booking.currency}`,
    `${result.amount.amountMinor} ${result.amount.currency}`,
  );
  if (!mismatches.length) return { matches: true };
  const claimsOurPayment =
    recordedPaymentId !== null
      ? recordedPaymentId === result.paymentId
      : requestKey !== null && requestKey === result.idempotencyKey;
  return { matches: false, mismatches, claimsOurPayment };
}
