import { requireUser } from '@airline/shared';
import type { MutationResolvers } from '../__generated__/resolvers-types.ts';

/** Writes of the bookings subgraph: thin calls into the booking use cases. */
export const Mutation: MutationResolvers = {
  createBooking: (_p, { input }, ctx) =>
    ctx.bookings.create(ctx.em, requireUser(ctx.user), input, ctx.clientIp),
  payBooking: (_p, { input }, ctx) => ctx.bookings.pay(ctx.em, requireUser(ctx.user), input),
  cancelBooking: (_p, args, ctx) => ctx.bookings.cancel(ctx.em, requireUser(ctx.user), args),
};
