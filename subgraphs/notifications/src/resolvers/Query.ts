import { requireAgent, requireUser } from '@airline/shared';
import type { QueryResolvers } from '../__generated__/resolvers-types.ts';
import { pageOf } from '../notification/notification-loaders.ts';
import { preferencesOf } from '../notification/preferences.ts';

/** Reads of the notifications subgraph. */
export const Query: QueryResolvers = {
  notificationPreferences: async (_parent, _args, ctx) => {
    const user = requireUser(ctx.user);
    return (await preferencesOf(ctx.em, [user.id])).get(user.id)!;
  },
  notifications: (_parent, { status, channel, first, after }, ctx) => {
    requireAgent(ctx.user);
    return ctx.loaders.page(
      { status: status ?? undefined, channel: channel ?? undefined },
      pageOf(first, after),
    );
  },
};
