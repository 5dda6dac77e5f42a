import {
  Migration20261125000000_outbox,
  OutboxMessage,
  type DatabaseDefinition,
} from '@airline/shared';
import { Migration20261210000000_notifications } from './migrations/Migration20261210000000_notifications.ts';
import {
  BookingCopy,
  BookingRefund,
  ChannelPreference,
  MessageRequest,
  Notification,
} from './notification/notification.entity.ts';

/**
 * The notifications database: its entities and its migrations in order. The service opens it with this
 * at boot, and `scripts/migrate.ts` (the deployment's migration job) with the same definition.
 */
export const database: DatabaseDefinition = {
  service: 'notifications',
  entities: [
    Notification,
    MessageRequest,
    BookingCopy,
    BookingRefund,
    ChannelPreference,
    OutboxMessage,
  ],
  migrations: [Migration20261125000000_outbox, Migration20261210000000_notifications],
};
