// Creates and migrates every service's database, then exits: what the Kubernetes migration Job
// and the ECS one-off task run before a rollout. Each service still migrates at boot under the
// same advisory lock (shared/src/db.ts), so this is never required for correctness; it moves the
// work out of the first pod's start-up, with its own time bound and logs.
// `node scripts/migrate.ts [service...]` (all by default).
import {
  Migration20261125000000_outbox,
  OutboxMessage,
  SERVICES,
  createLogger,
  loadConfig,
  openDatabase,
  type DatabaseDefinition,
  type ServiceName,
} from '@airline/shared';
import { Customer, PassengerProfile } from '../subgraphs/customers/src/customer/customer.entity.ts';
import { Migration20261125000000_customers } from '../subgraphs/customers/src/migrations/Migration20261125000000_customers.ts';
import { Airport } from '../subgraphs/flights/src/airport/airport.entity.ts';
import { Flight } from '../subgraphs/flights/src/flight/flight.entity.ts';
import { FlightSeat } from '../subgraphs/flights/src/inventory/flight-seat.entity.ts';
import { Migration20261126000000_flights } from '../subgraphs/flights/src/migrations/Migration20261126000000_flights.ts';
import { Booking, BookingPassenger } from '../subgraphs/bookings/src/booking/booking.entity.ts';
import { Migration20261125000100_bookings } from '../subgraphs/bookings/src/migrations/Migration20261125000100_bookings.ts';
import { Migration20261201000000_booking_money_checks } from '../subgraphs/bookings/src/migrations/Migration20261201000000_booking_money_checks.ts';
import { Migration20261215000000_payment_retries } from '../subgraphs/bookings/src/migrations/Migration20261215000000_payment_retries.ts';
import { Migration20261220000000_saga_reconciliation } from '../subgraphs/bookings/src/migrations/Migration20261220000000_saga_reconciliation.ts';
import {
  Payment,
  PaymentAttempt,
  Refund,
} from '../subgraphs/payments/src/payment/payment.entity.ts';
import { Migration20261125010000_payments } from '../subgraphs/payments/src/migrations/Migration20261125010000_payments.ts';
import {
  BookingCopy,
  BookingRefund,
  ChannelPreference,
  MessageRequest,
  Notification,
} from '../subgraphs/notifications/src/notification/notification.entity.ts';
import { Migration20261210000000_notifications } from '../subgraphs/notifications/src/migrations/Migration20261210000000_notifications.ts';

/**
 * The same entities and migrations each service's `service.ts` opens its database with
 * (deploy/migrate.test.ts fails when a service gains a migration this list lacks).
 */
export const DATABASES: Record<ServiceName, DatabaseDefinition> = {
  customers: {
    service: 'customers',
    entities: [Customer, PassengerProfile],
    migrations: [Migration20261125000000_customers],
  },
  flights: {
    service: 'flights',
    entities: [Airport, Flight, FlightSeat, OutboxMessage],
    migrations: [Migration20261125000000_outbox, Migration20261126000000_flights],
  },
  bookings: {
    service: 'bookings',
    entities: [Booking, BookingPassenger, OutboxMessage],
    migrations: [
      Migration20261125000000_outbox,
      Migration20261125000100_bookings,
      Migration20261201000000_booking_money_checks,
      Migration20261215000000_payment_retries,
      Migration20261220000000_saga_reconciliation,
    ],
  },
  payments: {
    service: 'payments',
    entities: [OutboxMessage, Payment, Refund, PaymentAttempt],
    migrations: [Migration20261125000000_outbox, Migration20261125010000_payments],
  },
  notifications: {
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
  },
};

async function main(names: string[]): Promise<void> {
  const unknown = names.filter((n) => !(SERVICES as readonly string[]).includes(n));
  if (unknown.length) {
    console.error(`migrate: unknown service ${unknown.join(', ')} (known: ${SERVICES.join(', ')})`);
    process.exit(2);
  }
  const config = loadConfig();
  const logger = createLogger(config, 'migrate');
  for (const name of names.length ? (names as ServiceName[]) : SERVICES) {
    const orm = await openDatabase(config, { ...DATABASES[name], poolMax: 2 }, logger);
    await orm.close(true);
    logger.info({ database: name }, 'database migrated');
  }
}

if (import.meta.main) {
  await main(process.argv.slice(2)).catch((err: unknown) => {
    console.error('migrate: failed:', err);
    process.exit(1);
  });
}
