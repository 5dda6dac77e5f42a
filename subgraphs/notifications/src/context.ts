import type { BaseContext } from '@airline/shared';
import type { NotificationLoaders } from './notification/notification-loaders.ts';

/** What the notifications resolvers get per request. */
export interface NotificationsContext extends BaseContext {
  loaders: NotificationLoaders;
  /** Wakes the senders after a replay (other replicas hear the database's NOTIFY). */
  deliverNow: () => void;
}

/** A Customer or Booking as notifications references it: the key; other subgraphs own the rest. */
export interface EntityRef {
  id: string;
}
