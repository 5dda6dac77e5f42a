import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  CardBrand,
  cardBrand,
  isCardExpired,
  isValidCardNumber,
  last4,
  normalizeCardNumber,
} from '../provider/index.ts';

/** The provider's largest charge; it also keeps amounts well inside the integer column. */
export const MAX_AMOUNT_MINOR = 99_999_999;

// Messages never echo the value: a card number must not reach a log line or an error body.
const cardSchema = z
  .object({
    number: z
      .string()
      .max(40)
      .transform(normalizeCardNumber)
      .refine(isValidCardNumber, 'not a valid card number'),
    expMonth: z.number().int().min(1).max(12),
    expYear: z.number().int().min(2000).max(2100),
    cvc: z.string().regex(/^\d{3,4}$/, 'must be 3 or 4 digits'),
    holderName: z.string().trim().min(1).max(100),
  })
  .superRefine((card, ctx) => {
    if (isCardExpired(card.expMonth, card.expYear)) {
      ctx.addIssue({ code: 'custom', path: ['expYear'], message: 'the card has expired' });
    }
    const cvcLength = cardBrand(card.number) === CardBrand.Amex ? 4 : 3;
    if (card.cvc.length !== cvcLength) {
      ctx.addIssue({
        code: 'custom',
        path: ['cvc'],
        message: `must be ${cvcLength} digits for this card`,
      });
    }
  });

/** Body of `POST /internal/payments` (bookings' payBooking); amounts in minor units. */
export const paymentRequestSchema = z.object({
  bookingId: z.string().trim().min(1).max(100),
  customerId: z.string().trim().min(1).max(100),
  amount: z.object({
    amountMinor: z.number().int().positive().max(MAX_AMOUNT_MINOR),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
  }),
  card: cardSchema,
  idempotencyKey: z.string().trim().min(1).max(255),
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
