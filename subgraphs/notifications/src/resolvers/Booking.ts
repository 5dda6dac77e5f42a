import { requireUser } from '@airline/shared';
import type { BookingResolvers } from '../__generated__/resolvers-types.ts';
import { visibleTo } from '../notification/access.ts';
import { pageOf } from '../notification/notification-loaders.ts';

/**
 * Notifications' part of Booking. Bookings decides who may see the booking; here, too, a caller
 * only ever sees their own messages (an agent sees all), whatever booking id they name.
 */
export const Booking: BookingResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  notifications: async (booking, { first, after }, ctx) => {
    const user = requireUser(ctx.user);
    const page = pageOf(first, after);
    const found = page.after
      ? await ctx.loaders.page({ bookingId: booking.id }, page)
      : await ctx.loaders.byBooking.load({ bookingId: booking.id, first: page.first });
    return visibleTo(user, found);
  },
  scheduledNotifications: async (booking, _args, ctx) => {
    const user = requireUser(ctx.user);
    // Waiting requests carry the customer's id; show them to that customer or an agent only.
    const scheduled = await ctx.loaders.scheduledByBooking.load(booking.id);
    return visibleTo(user, scheduled);
  },
};
