import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { paymentRequests } from '@airline/shared';
import {
  CardBrand,
  cardBrand,
  isCardExpired,
  isValidCardNumber,
  last4,
  normalizeCardNumber,
} from '../provider/index.ts';

/**
 * Body of `POST /internal/payments` (bookings' payBooking; the shape is the shared contract's),
 * with what only payments checks: the card number normalised and Luhn-valid, not expired, and a
 * CVC as long as the card's network wants. Messages never echo the value: a card number must not
 * reach a log line or an error body.
 */
export const paymentRequestSchema = paymentRequests.request
  .extend({
    card: paymentRequests.request.shape.card.extend({
      number: paymentRequests.request.shape.card.shape.number
        .transform(normalizeCardNumber)
        .refine(isValidCardNumber, 'not a valid card number'),
    }),
  })
  .superRefine(({ card }, ctx) => {
    if (isCardExpired(card.expMonth, card.expYear)) {
      ctx.addIssue({ code: 'custom', path: ['card', 'expYear'], message: 'the card has expired' });
    }
    const cvcLength = cardBrand(card.number) === CardBrand.Amex ? 4 : 3;
    if (card.cvc.length !== cvcLength) {
      ctx.addIssue({
        code: 'custom',
        path: ['card', 'cvc'],
        message: `must be ${cvcLength} digits for this card`,
      });
    }
  });

/** A validated payment request; the card in it lives only in memory. */
export type PaymentRequest = z.output<typeof paymentRequestSchema>;

/**
 * Fingerprint of a request for idempotency: same key + same fingerprint is a replay, another
 * fingerprint a conflict. Only facts we may store go in: a hash over the full card number would
 * be brute-forced in minutes (PCI DSS wants a keyed hash for that), while brand, last four,
 * expiry and holder tell two cards apart for this purpose.
 */
export function requestFingerprint(request: PaymentRequest): string {
  const { card } = request;
  const facts = [
    request.bookingId,
    request.customerId,
    request.amount.amountMinor,
    request.amount.currency,
    cardBrand(card.number),
    last4(card.number),
    card.expMonth,
    card.expYear,
    card.holderName.toLowerCase(),
  ];
  return createHash('sha256').update(JSON.stringify(facts)).digest('hex');
}
