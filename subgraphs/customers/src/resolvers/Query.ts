import type { QueryResolvers } from '../__generated__/resolvers-types.ts';

/** Reads of the customers subgraph. */
export const Query: QueryResolvers = {
  me: (_parent, _args, ctx) => (ctx.user ? ctx.loaders.customerById.load(ctx.user.id) : null),
};
