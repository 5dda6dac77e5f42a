import type { NotificationResolvers } from '../__generated__/resolvers-types.ts';

/** A message: its booking is a reference the bookings subgraph resolves. */
export const Notification: NotificationResolvers = {
  booking: (n) => (n.bookingId ? { id: n.bookingId } : null),
  nextAttemptAt: (n) => (n.status === 'FAILED' ? n.nextAttemptAt : null),
};
