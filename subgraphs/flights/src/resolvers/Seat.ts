import { formatMoney } from '../domain/pricing.ts';
import type { SeatResolvers } from '../__generated__/resolvers-types.ts';

/** A seat of the seat map: a blocked seat has no price, it is not for sale. */
export const Seat: SeatResolvers = {
  price: (seat) =>
    seat.status === 'BLOCKED' || seat.priceMinor === null ? null : formatMoney(seat.priceMinor),
};
