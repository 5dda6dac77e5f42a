import {
  Migration20261125000000_outbox,
  OutboxMessage,
  type DatabaseDefinition,
} from '@airline/shared';
import { Booking, BookingPassenger } from './booking/booking.entity.ts';
import { Migration20261125000100_bookings } from './migrations/Migration20261125000100_bookings.ts';
import { Migration20261201000000_booking_money_checks } from './migrations/Migration20261201000000_booking_money_checks.ts';
import { Migration20261215000000_payment_retries } from './migrations/Migration20261215000000_payment_retries.ts';
import { Migration20261220000000_saga_reconciliation } from './migrations/Migration20261220000000_saga_reconciliation.ts';

/**
 * The bookings database: its entities and its migrations in order. The service opens it with this
 * at boot, and `scripts/migrate.ts` (the deployment's migration job) with the same definition.
 */
export const database: DatabaseDefinition = {
  service: 'bookings',
  entities: [Booking, BookingPassenger, OutboxMessage],
  migrations: [
    Migration20261125000000_outbox,
    Migration20261125000100_bookings,
    Migration20261201000000_booking_money_checks,
    Migration20261215000000_payment_retries,
    Migration20261220000000_saga_reconciliation,
  ],
};
