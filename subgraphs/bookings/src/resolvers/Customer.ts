import { forbidden, isAgent, requireUser } from '@airline/shared';
import type { CustomerResolvers } from '../__generated__/resolvers-types.ts';

/** Bookings' contribution to Customer: the booking history. */
export const Customer: CustomerResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  bookings: (customer, _a, ctx) => {
    const user = requireUser(ctx.user);
    if (user.id !== customer.id && !isAgent(user))
      throw forbidden('You may only see your own bookings');
    return ctx.loaders.bookingsByCustomer.load(customer.id);
  },
};
