import { requireAgent, requireUser } from '@airline/shared';
import { Booking } from '../booking/booking.entity.ts';
import type { QueryResolvers } from '../__generated__/resolvers-types.ts';

/** Reads of the bookings subgraph. */
export const Query: QueryResolvers = {
  booking: (_p, { id }, ctx) => ctx.bookings.visible(ctx.em, requireUser(ctx.user), id),
  bookings: (_p, { flightId, status, limit }, ctx) => {
    requireAgent(ctx.user);
    return ctx.em.find(
      Booking,
      { ...(flightId ? { flightId } : {}), ...(status ? { status } : {}) },
      { orderBy: { createdAt: 'desc' }, limit: Math.min(Math.max(limit ?? 50, 1), 200) },
    );
  },
};
