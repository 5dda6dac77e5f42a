import type { PaymentResolvers } from '../__generated__/resolvers-types.ts';
import { visiblePayment } from '../payment/access.ts';
import { toMoney } from '@airline/shared';

/** The Payment entity: money at the edge as decimal strings, refunds and attempts batched. */
export const Payment: PaymentResolvers = {
  __resolveReference: async (ref, ctx) =>
    visiblePayment(ctx.user, await ctx.loaders.paymentById.load(ref.id)),
  amount: (payment) => toMoney(payment.amountMinor, payment.currency),
  refunds: (payment, _args, ctx) => ctx.loaders.refundsByPayment.load(payment.id),
  attemptLog: (payment, _args, ctx) => ctx.loaders.attemptsByPayment.load(payment.id),
  booking: (payment) => ({ id: payment.bookingId }),
};
