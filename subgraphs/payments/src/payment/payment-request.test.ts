import { parseInput } from '@airline/shared';
import {
  paymentRequestSchema,
  requestFingerprint,
  type PaymentRequest,
} from './payment-request.ts';

const request = (overrides: Partial<PaymentRequest> = {}): PaymentRequest =>
  parseInput(paymentRequestSchema, {
    bookingId: 'b-1',
    customerId: 'c-1',
    amount: { amountMinor: 12_900, currency: 'USD' },
    card: {
      number: '4242 4242 4242 4242',
      expMonth: 12,
      expYear: 2099,
      cvc: '123',
      holderName: 'Ada',
    },
    idempotencyKey: 'k-1',
    ...overrides,
  });

describe('paymentRequestSchema', () => {
  it('keeps the card number without the spaces people type', () => {
    expect(request().card.number).toBe('4242424242424242');
  });

  it('names the field of a bad card without echoing it', () => {
    expect(() => request({ card: { ...request().card, number: '4242424242424241' } })).toThrow(
      /^card\.number: not a valid card number$/,
    );
  });
});

describe('requestFingerprint', () => {
  it('is the same for the same request, whatever the key, CVC or spacing', () => {
    const base = requestFingerprint(request());
    expect(requestFingerprint(request({ idempotencyKey: 'k-2' }))).toBe(base);
    expect(requestFingerprint(request({ card: { ...request().card, cvc: '999' } }))).toBe(base);
  });

  it.each([
    ['booking', { bookingId: 'b-2' }],
    ['amount', { amount: { amountMinor: 12_901, currency: 'USD' } }],
    ['currency', { amount: { amountMinor: 12_900, currency: 'EUR' } }],
    [
      'card',
      {
        card: {
          number: '5555555555554444',
          expMonth: 12,
          expYear: 2099,
          cvc: '123',
          holderName: 'Ada',
        },
      },
    ],
    [
      'expiry',
      {
        card: {
          number: '4242424242424242',
          expMonth: 11,
          expYear: 2099,
          cvc: '123',
          holderName: 'Ada',
        },
      },
    ],
  ])('changes with the %s', (_what, overrides) => {
    expect(requestFingerprint(request(overrides as Partial<PaymentRequest>))).not.toBe(
      requestFingerprint(request()),
    );
  });
});
