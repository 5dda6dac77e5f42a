import { requireAgent } from '@airline/shared';
import type { MutationResolvers } from '../__generated__/resolvers-types.ts';

/** Agent changes to the schedule: thin calls into the flight operations. */
export const Mutation: MutationResolvers = {
  scheduleFlight: (_p, { input }, ctx) => {
    requireAgent(ctx.user);
    return ctx.operations.schedule(ctx.em, input);
  },
  delayFlight: (_p, args, ctx) => {
    requireAgent(ctx.user);
    return ctx.operations.delay(ctx.em, args);
  },
  changeGate: (_p, args, ctx) => {
    requireAgent(ctx.user);
    return ctx.operations.changeGate(ctx.em, args);
  },
  cancelFlight: (_p, args, ctx) => {
    requireAgent(ctx.user);
    return ctx.operations.cancel(ctx.em, args);
  },
};
