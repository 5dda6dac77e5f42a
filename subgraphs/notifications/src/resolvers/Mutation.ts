import { notFound, requireAgent, requireUser } from '@airline/shared';
import type { MutationResolvers } from '../__generated__/resolvers-types.ts';
import { Notification } from '../notification/notification.entity.ts';
import { updatePreferences } from '../notification/preferences.ts';
import { replayAll, replayOne } from '../notification/replays.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Changes: a customer's channels; agents' replays of dead-lettered messages. */
export const Mutation: MutationResolvers = {
  updateNotificationPreferences: (_parent, { input }, ctx) => {
    const user = requireUser(ctx.user);
    return updatePreferences(ctx.em, user.id, { sms: input.sms, push: input.push });
  },
  replayNotification: async (_parent, { id }, ctx) => {
    requireAgent(ctx.user);
    if (!UUID.test(id)) throw notFound('Notification', id);
    if (await replayOne(ctx.em, id)) ctx.deliverNow();
    // Replayed or not (already requeued, already sent), the message as it stands now.
    const found = await ctx.em.findOne(Notification, { id }, { refresh: true });
    if (!found) throw notFound('Notification', id);
    return found;
  },
  replayDeadLetteredNotifications: async (_parent, { channel }, ctx) => {
    requireAgent(ctx.user);
    const replayed = await replayAll(ctx.em, channel ?? null);
    if (replayed) ctx.deliverNow();
    return replayed;
  },
};
