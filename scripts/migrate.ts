// Creates and migrates every service's database, then exits: what the Kubernetes migration Job
// and the ECS one-off task run before a rollout. Each service still migrates at boot under the
// same advisory lock (shared/src/db.ts), so this is never required for correctness; it moves the
// work out of the first pod's start-up, with its own time bound and logs.
// `node scripts/migrate.ts [service...]` (all by default).
import {
  SERVICES,
  createLogger,
  loadConfig,
  openDatabase,
  type DatabaseDefinition,
  type ServiceName,
} from '@airline/shared';
import { database as customers } from '../subgraphs/customers/src/database.ts';
import { database as flights } from '../subgraphs/flights/src/database.ts';
import { database as bookings } from '../subgraphs/bookings/src/database.ts';
import { database as payments } from '../subgraphs/payments/src/database.ts';
import { database as notifications } from '../subgraphs/notifications/src/database.ts';

/** Each service's database, defined once in its `src/database.ts` (the service boots with it too). */
export const DATABASES: Record<ServiceName, DatabaseDefinition> = {
  customers,
  flights,
  bookings,
  payments,
  notifications,
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
