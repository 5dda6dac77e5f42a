import { z } from 'zod';
import { internalContract, type ResponseOf, type ValidRequestOf } from './internal-contract.ts';

/** The provider's largest charge; it also keeps amounts well inside an integer column. */
export const MAX_PAYMENT_MINOR = 99_999_999;

// Messages never echo a value: a card number must not reach a log line or an error body.
const card = z.object({
  /** As typed, spaces and dashes included; payments normalises and checks it (Luhn, brand). */
  number: z.string().max(40),
  expMonth: z.number().int().min(1).max(12),
  expYear: z.number().int().min(2000).max(2100),
  cvc: z.string().regex(/^\d{3,4}$/, 'must be 3 or 4 digits'),
  holderName: z.string().trim().min(1).max(100),
});

/**
 * `POST /internal/payments` on payments, called by bookings' payBooking with its credential
 * naming the customer: charge `amount` (what bookings recorded, never what a client said) for the
 * booking. Answered `202` as soon as the PENDING payment is stored; the result follows as
 * PaymentCompleted / PaymentFailed. The same idempotency key and request is the same payment.
 */
export const paymentRequests = internalContract({
  path: '/internal/payments',
  callee: 'payments',
  callers: ['bookings'],
  request: z.object({
    bookingId: z.string().trim().min(1).max(100),
    customerId: z.string().trim().min(1).max(100),
    amount: z.object({
      amountMinor: z.number().int().positive().max(MAX_PAYMENT_MINOR),
      currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
    }),
    card,
    idempotencyKey: z.string().trim().min(1).max(255),
  }),
  response: z.object({
    paymentId: z.string().min(1),
    status: z.enum(['PENDING', 'SUCCEEDED', 'FAILED']),
  }),
});
/** A payment request as payments reads it (the card in it lives only in memory). */
export type PaymentRequestBody = ValidRequestOf<typeof paymentRequests>;
/** Payments' receipt: the payment and how its charge stands. */
export type PaymentReceipt = ResponseOf<typeof paymentRequests>;
