import type { QueryResolvers } from '../__generated__/resolvers-types.ts';
import { visiblePayment } from '../payment/access.ts';

/** Reads of the payments subgraph. */
export const Query: QueryResolvers = {
  payment: async (_parent, { id }, ctx) =>
    visiblePayment(ctx.user, await ctx.loaders.paymentById.load(id)),
};
