import { forbidden, isAgent } from '@airline/shared';
import type { CustomerResolvers } from '../__generated__/resolvers-types.ts';
import type { CustomersContext } from '../context.ts';

// Other subgraphs resolve a Customer reference only for the customer themselves or an agent:
// the profile is personal data.
function assertMayRead(ctx: CustomersContext, id: string): void {
  if (ctx.user?.id !== id && !isAgent(ctx.user))
    throw forbidden('You may only read your own profile');
}

/** The Customer entity: profile fields and saved travellers. */
export const Customer: CustomerResolvers = {
  __resolveReference: async (ref, ctx) => {
    assertMayRead(ctx, ref.id);
    return ctx.loaders.customerById.load(ref.id);
  },
  passengers: (customer, _args, ctx) => ctx.loaders.passengersByCustomer.load(customer.id),
};
