import {
  Migration20261125000000_outbox,
  OutboxMessage,
  type DatabaseDefinition,
} from '@airline/shared';
import { Migration20261125010000_payments } from './migrations/Migration20261125010000_payments.ts';
import { Payment, PaymentAttempt, Refund } from './payment/payment.entity.ts';

/**
 * The payments database: its entities and its migrations in order. The service opens it with this
 * at boot, and `scripts/migrate.ts` (the deployment's migration job) with the same definition.
 */
export const database: DatabaseDefinition = {
  service: 'payments',
  entities: [OutboxMessage, Payment, Refund, PaymentAttempt],
  migrations: [Migration20261125000000_outbox, Migration20261125010000_payments],
};
