import { notFound, requireUser, type LiveMessage } from '@airline/shared';
import type { BookingsContext } from '../context.ts';
import type { BookingEntity } from '../booking/booking.entity.ts';
import type { BookingStatusPayload } from '../live/booking-live.ts';
import type { SubscriptionResolvers } from '../__generated__/resolvers-types.ts';

/** The argument of bookingStatusChanged. */
interface BookingArgs {
  bookingId: string;
}

/**
 * Live bookings: only the owner or an agent may subscribe (NOT_FOUND otherwise, as queries
 * answer). Each message is the booking as it is now, with the status of that transition, so a
 * subscriber sees every status in order even when the saga has already moved on.
 */
export const Subscription: SubscriptionResolvers = {
  bookingStatusChanged: {
    subscribe: async (_p, { bookingId }, ctx) => {
      const booking = await ctx.bookings.visible(ctx.em, requireUser(ctx.user), bookingId);
      return ctx.live.bookingStatus(booking);
    },
    resolve: async (
      message: LiveMessage,
      { bookingId }: BookingArgs,
      ctx: BookingsContext,
    ): Promise<BookingEntity> => {
      const booking = await ctx.loaders.bookingById.load(bookingId);
      if (!booking) throw notFound('Booking', bookingId);
      const { status } = message.payload as unknown as BookingStatusPayload;
      return booking.status === status ? booking : { ...booking, status };
    },
  },
};
