import type { BookingResolvers } from '../__generated__/resolvers-types.ts';
import { visiblePayment } from '../payment/access.ts';

/** Payments' part of the Booking entity: its payments, newest first, and the latest of them. */
export const Booking: BookingResolvers = {
  // Any booking id is a valid reference here; bookings decides whether the booking exists.
  __resolveReference: (ref) => ({ id: ref.id }),
  payment: async (booking, _args, ctx) =>
    visiblePayment(ctx.user, await ctx.loaders.latestPaymentByBooking.load(booking.id)),
  // Each payment is its customer's (or an agent's) to see; a stranger gets an empty list.
  payments: async (booking, _args, ctx) =>
    (await ctx.loaders.paymentsByBooking.load(booking.id)).filter(
      (payment) => visiblePayment(ctx.user, payment) !== null,
    ),
};
