import type { CustomerResolvers } from '../__generated__/resolvers-types.ts';
import { assertMayRead } from '../notification/access.ts';
import { pageOf } from '../notification/notification-loaders.ts';
import { preferencesOf } from '../notification/preferences.ts';

/** Notifications' part of Customer: their messages and channel choices (theirs or an agent's to read). */
export const Customer: CustomerResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  notifications: (customer, { first, after }, ctx) => {
    assertMayRead(ctx.user, customer.id);
    return ctx.loaders.page({ customerId: customer.id }, pageOf(first, after));
  },
  notificationPreferences: async (customer, _args, ctx) => {
    assertMayRead(ctx.user, customer.id);
    return (await preferencesOf(ctx.em, [customer.id])).get(customer.id)!;
  },
};
