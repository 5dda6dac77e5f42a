import { isAgent, toMoney } from '@airline/shared';
import type {
  BookedPassengerResolvers,
  BookingResolvers,
} from '../__generated__/resolvers-types.ts';

/** The Booking entity; other subgraphs (payments) extend it by key. */
export const Booking: BookingResolvers = {
  __resolveReference: async (ref, ctx) => {
    const booking = await ctx.loaders.bookingById.load(ref.id);
    // Only the owner or an agent may see a booking, even through another subgraph's reference.
    if (!booking || !ctx.user || (booking.customerId !== ctx.user.id && !isAgent(ctx.user)))
      return null;
    return booking;
  },
  flight: (b) => ({ __typename: 'Flight', id: b.flightId }),
  customer: (b) => ({ __typename: 'Customer', id: b.customerId }),
  passengers: (b, _a, ctx) => ctx.loaders.passengersByBooking.load(b.id),
  totalPrice: (b) => toMoney(b.totalMinor, b.currency),
  paymentError: (b) =>
    b.paymentErrorCode ? { code: b.paymentErrorCode, message: b.paymentErrorMessage ?? '' } : null,
};

/** A passenger on a booking; the seat price is in the booking's currency. */
export const BookedPassenger: BookedPassengerResolvers = {
  price: async (p, _a, ctx) => {
    const booking = await ctx.loaders.bookingById.load(p.bookingId);
    return toMoney(p.priceMinor, booking!.currency);
  },
};
