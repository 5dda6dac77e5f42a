import type { BookingEntity } from './booking.entity.ts';
import { matchPaymentResult, type PaymentResult } from './payment-matching.ts';

const booking = (over: Partial<BookingEntity> = {}) =>
  ({
    id: 'b-1',
    customerId: 'c-1',
    totalMinor: 25_800,
    currency: 'EUR',
    paymentId: null,
    paymentRequestKey: 'rk-1',
    ...over,
  }) as BookingEntity;

const result = (over: Partial<PaymentResult> = {}): PaymentResult => ({
  paymentId: 'p-1',
  bookingId: 'b-1',
  customerId: 'c-1',
  amount: { amountMinor: 25_800, currency: 'EUR' },
  idempotencyKey: 'rk-1',
  ...over,
});

describe('matching a payment result to the request bookings made', () => {
  test('before payments answered, the request key identifies the payment', () => {
    expect(matchPaymentResult(booking(), result())).toEqual({ matches: true });
  });

  test('once payments answered, the payment id must be that one too', () => {
    expect(matchPaymentResult(booking({ paymentId: 'p-1' }), result())).toEqual({ matches: true });
    expect(matchPaymentResult(booking({ paymentId: 'p-1' }), result({ paymentId: 'p-2' }))).toEqual(
      {
        matches: false,
        mismatches: [{ field: 'paymentId', expected: 'p-1', received: 'p-2' }],
        claimsOurPayment: false,
      },
    );
  });

  test('another amount, currency or customer is named field by field', () => {
    const match = matchPaymentResult(
      booking(),
      result({ customerId: 'c-2', amount: { amountMinor: 25_800, currency: 'USD' } }),
    );
    expect(match).toEqual({
      matches: false,
      mismatches: [
        { field: 'customerId', expected: 'c-1', received: 'c-2' },
        { field: 'amount', expected: '25800 EUR', received: '25800 USD' },
      ],
      // It names the booking's own request: its genuine result may still come.
      claimsOurPayment: true,
    });
  });

  test('a booking that asked for no payment matches nothing; an unknown booking neither', () => {
    expect(matchPaymentResult(booking({ paymentRequestKey: null }), result())).toMatchObject({
      matches: false,
      claimsOurPayment: false,
      mismatches: [{ field: 'idempotencyKey', expected: null, received: 'rk-1' }],
    });
    expect(matchPaymentResult(null, result())).toMatchObject({
      matches: false,
      mismatches: [{ field: 'bookingId', expected: null, received: 'b-1' }],
    });
  });
});
