import type { BookingResolvers } from '../__generated__/resolvers-types.ts';
import { visiblePayment } from '../payment/access.ts';

/** Payments' part of the Booking entity: the booking's latest payment. */
export const Booking: BookingResolvers = {
  // Any booking id is a valid reference here; bookings decides whether the booking exists.
  __resolveReference: (ref) => ({ id: ref.id }),
  payment: async (booking, _args, ctx) =>
    visiblePayment(ctx.user, await ctx.loaders.latestPaymentByBooking.load(booking.id)),
};
