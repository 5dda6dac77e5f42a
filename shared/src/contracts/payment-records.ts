import { z } from 'zod';
import { internalContract, type ResponseOf } from './internal-contract.ts';

const money = z.object({
  amountMinor: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/),
});

/**
 * `POST /internal/payment-records` on payments, called by bookings' saga reconciler (no end user):
 * every payment payments holds for a booking, as payments recorded it. It is the source of truth
 * for a saga whose messages went missing: whether a payment was taken, failed, is still being
 * charged, and how much of it was given back (or is being given back).
 */
export const paymentRecords = internalContract({
  path: '/internal/payment-records',
  callee: 'payments',
  callers: ['bookings'],
  request: z.object({ bookingId: z.string().trim().min(1).max(100) }),
  response: z.object({
    payments: z.array(
      z.object({
        paymentId: z.string().min(1),
        bookingId: z.string(),
        customerId: z.string(),
        /** The request key bookings sent: what ties the payment to the booking's attempt. */
        idempotencyKey: z.string(),
        amount: money,
        status: z.enum(['PENDING', 'SUCCEEDED', 'FAILED', 'REFUNDED', 'PARTIALLY_REFUNDED']),
        /** Decline code or payments' own (provider_unavailable, payment_interrupted). */
        failureReason: z.string().nullable(),
        refundedMinor: z.number().int().nonnegative(),
        /** Refunds reserved and not yet answered by the provider. */
        refundingMinor: z.number().int().nonnegative(),
      }),
    ),
  }),
});
/** Payments' records of one booking. */
export type PaymentRecords = ResponseOf<typeof paymentRecords>;
/** One payment as payments recorded it. */
export type PaymentRecord = PaymentRecords['payments'][number];
