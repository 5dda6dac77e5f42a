import { z } from 'zod';
import { payloadOf, type HandlerMap, type TransactionContext } from '@airline/shared';
import type { Refunds } from '../payment/refunds.ts';

// What refunds reads of a RefundPayment (a tolerant reader: fields it does not use may change).
const refundPayment = z.object({
  paymentId: z.guid(),
  bookingId: z.string().min(1).max(100),
  customerId: z.string().min(1).max(100),
  amount: z
    .object({
      amountMinor: z.number().int().positive(),
      currency: z.string().regex(/^[A-Z]{3}$/),
    })
    .nullable(),
  reason: z.string().max(1_000),
});

/**
 * The saga's commands to payments: RefundPayment gives back (part of) a payment. The refund
 * reserves, calls the provider and records in transactions of its own (no row lock is held while
 * the provider answers); the inbox records the command once they are done, so a redelivery is a
 * no-op, and one interrupted before that resumes the refund reserved under the command's key. A
 * provider outage throws, and the consumer retries with backoff before dead-lettering.
 */
export function commandHandlers(refunds: Refunds): HandlerMap<TransactionContext> {
  return {
    RefundPayment: async (command) => {
      const payload = payloadOf(refundPayment, command);
      await refunds.apply({ ...command, payload });
    },
  };
}
