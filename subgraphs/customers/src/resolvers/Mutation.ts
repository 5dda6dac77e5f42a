import { requireUser } from '@airline/shared';
import type { MutationResolvers } from '../__generated__/resolvers-types.ts';

/** Writes of the customers subgraph: thin calls into the accounts domain. */
export const Mutation: MutationResolvers = {
  register: (_p, { input }, ctx) => ctx.accounts.register(ctx.em, input, ctx.clientIp),
  login: (_p, args, ctx) => ctx.accounts.login(ctx.em, args, ctx.clientIp),
  updateProfile: (_p, { input }, ctx) =>
    ctx.accounts.updateProfile(ctx.em, requireUser(ctx.user).id, input),
  addPassenger: (_p, { input }, ctx) =>
    ctx.accounts.addPassenger(ctx.em, requireUser(ctx.user).id, input),
  removePassenger: (_p, { id }, ctx) =>
    ctx.accounts.removePassenger(ctx.em, requireUser(ctx.user).id, id),
};
