import type { PaymentRecord } from '@airline/shared';
import { remedyFor, type ReconciledBooking } from './reconciliation.ts';

const booking = (over: Partial<ReconciledBooking> = {}): ReconciledBooking => ({
  id: 'b-1',
  status: 'PAYMENT_PENDING',
  sagaStep: 'AWAITING_PAYMENT',
  customerId: 'c-1',
  flightId: 'f-1',
  paymentId: 'p-1',
  paymentRequestKey: 'key-1',
  paymentRequestedAt: null,
  statusVersion: 2,
  ...over,
});

const payment = (over: Partial<PaymentRecord> = {}): PaymentRecord => ({
  paymentId: 'p-1',
  bookingId: 'b-1',
  customerId: 'c-1',
  idempotencyKey: 'key-1',
  amount: { amountMinor: 12_000, currency: 'USD' },
  status: 'SUCCEEDED',
  failureReason: null,
  refundedMinor: 0,
  refundingMinor: 0,
  ...over,
});

describe('saga reconciliation', () => {
  it('a booking waiting for a payment that payments has settled gets its result from payments’ record', () => {
    const paid = remedyFor(booking(), [payment()]);
    expect(paid).toMatchObject({
      kind: 'apply',
      input: {
        type: 'PaymentCompleted',
        result: { paymentId: 'p-1', idempotencyKey: 'key-1', amount: { amountMinor: 12_000 } },
      },
    });
    const declined = remedyFor(booking(), [
      payment({ status: 'FAILED', failureReason: 'card_declined' }),
    ]);
    expect(declined).toMatchObject({
      kind: 'apply',
      input: { type: 'PaymentFailed', result: { code: 'card_declined' } },
    });
  });

  it('a payment still being charged is left to payments’ own recovery', () => {
    expect(remedyFor(booking(), [payment({ status: 'PENDING' })]).kind).toBe('wait');
  });

  it('a payment refunded while the booking waits for it never confirms the booking', () => {
    expect(
      remedyFor(booking(), [payment({ status: 'REFUNDED', refundedMinor: 12_000 })]).kind,
    ).toBe('wait');
  });

  it('a paid booking whose seat confirmation went unanswered asks flights again', () => {
    expect(remedyFor(booking({ sagaStep: 'CONFIRMING_SEATS' }), []).kind).toBe('confirm-seats');
  });

  it('a payment request that payments never took makes the booking payable again', () => {
    const reservedAt = new Date('2026-12-01T10:00:00Z');
    const held = booking({
      status: 'HELD',
      sagaStep: null,
      paymentId: null,
      paymentRequestedAt: reservedAt,
    });
    expect(remedyFor(held, [])).toMatchObject({
      kind: 'apply',
      input: { type: 'PaymentRequestFailed', requestKey: 'key-1', reservedAt },
    });
    // It did take it: its record is the answer the dead process never recorded.
    expect(remedyFor(held, [payment()])).toMatchObject({
      kind: 'apply',
      input: { type: 'PaymentCompleted' },
    });
    // An earlier attempt's payment is not this request's.
    expect(remedyFor(held, [payment({ idempotencyKey: 'key-0', status: 'FAILED' })])).toMatchObject(
      { kind: 'apply', input: { type: 'PaymentRequestFailed' } },
    );
  });

  it('money an ended booking still holds is given back; a confirmed booking keeps only its own payment', () => {
    const cancelled = booking({ status: 'CANCELLED', sagaStep: null });
    expect(remedyFor(cancelled, [payment()])).toMatchObject({
      kind: 'refund',
      payments: [{ paymentId: 'p-1' }],
    });
    expect(remedyFor(cancelled, [payment({ status: 'REFUNDED', refundedMinor: 12_000 })])).toEqual({
      kind: 'verified',
    });
    const confirmed = booking({ status: 'CONFIRMED', sagaStep: null });
    const stray = payment({ paymentId: 'p-2', idempotencyKey: 'key-2' });
    expect(remedyFor(confirmed, [payment(), stray])).toMatchObject({
      kind: 'refund',
      payments: [{ paymentId: 'p-2' }],
    });
    expect(remedyFor(confirmed, [payment()])).toEqual({ kind: 'verified' });
  });

  it('a refund on its way, or a charge still running, is waited for before anything is verified', () => {
    const expired = booking({ status: 'EXPIRED', sagaStep: null });
    expect(remedyFor(expired, [payment({ refundingMinor: 12_000 })]).kind).toBe('wait');
    expect(remedyFor(expired, [payment({ status: 'PENDING' })]).kind).toBe('wait');
    expect(
      remedyFor(expired, [payment({ status: 'FAILED', failureReason: 'card_declined' })]),
    ).toEqual({ kind: 'verified' });
  });
});
