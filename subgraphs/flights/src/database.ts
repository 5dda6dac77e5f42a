import {
  Migration20261125000000_outbox,
  OutboxMessage,
  type DatabaseDefinition,
} from '@airline/shared';
import { Airport } from './airport/airport.entity.ts';
import { Flight } from './flight/flight.entity.ts';
import { FlightSeat } from './inventory/flight-seat.entity.ts';
import { Migration20261126000000_flights } from './migrations/Migration20261126000000_flights.ts';

/**
 * The flights database: its entities and its migrations in order. The service opens it with this
 * at boot, and `scripts/migrate.ts` (the deployment's migration job) with the same definition.
 */
export const database: DatabaseDefinition = {
  service: 'flights',
  entities: [Airport, Flight, FlightSeat, OutboxMessage],
  migrations: [Migration20261125000000_outbox, Migration20261126000000_flights],
};
