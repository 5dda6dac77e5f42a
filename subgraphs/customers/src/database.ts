import type { DatabaseDefinition } from '@airline/shared';
import { Customer, PassengerProfile } from './customer/customer.entity.ts';
import { Migration20261125000000_customers } from './migrations/Migration20261125000000_customers.ts';

/**
 * The customers database: its entities and its migrations in order. The service opens it with this
 * at boot, and `scripts/migrate.ts` (the deployment's migration job) with the same definition.
 */
export const database: DatabaseDefinition = {
  service: 'customers',
  entities: [Customer, PassengerProfile],
  migrations: [Migration20261125000000_customers],
};
