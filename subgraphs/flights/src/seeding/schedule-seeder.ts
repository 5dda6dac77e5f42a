import type { EntityManager } from '@airline/shared';
import { defaultGate } from '../domain/gates.ts';
import { generateSchedule, type ScheduledFlight } from '../domain/schedule.ts';

/** What a seeding run did. */
export interface SeedReport {
  /** Flights inserted by this run (0 when the table already had flights). */
  created: number;
  elapsedMs: number;
}

const BATCH = 2_000;
// Held for the seeding transaction: replicas booting together seed once, the others wait and
// then find the table filled.
const SEED_LOCK = 727_101;

/**
 * Seeds `days` days of the network's schedule from `startDate` when the flight table is empty.
 * Bulk SQL: one INSERT per batch of flights (the natural key makes a re-run a no-op), then one
 * INSERT ... SELECT that materialises the layouts' blocked seats as inventory rows. Seats that
 * are free have no row at all, so a month of flights is a few thousand rows, not millions.
 */
export async function seedSchedule(
  em: EntityManager,
  options: { startDate: string; days: number },
): Promise<SeedReport> {
  const started = performance.now();
  if (options.days < 1) return { created: 0, elapsedMs: 0 };
  const created = await em.transactional(async (tx) => {
    await tx.execute('SELECT pg_advisory_xact_lock(?)', [SEED_LOCK]);
    const [state] = await tx.execute<{ seeded: boolean }[]>(
      'SELECT EXISTS (SELECT 1 FROM flight) AS seeded',
    );
    if (state?.seeded) return 0;
    const schedule = generateSchedule({ startDate: options.startDate, days: options.days });
    let inserted = 0;
    for (let i = 0; i < schedule.length; i += BATCH)
      inserted += await insertFlights(tx, schedule.slice(i, i + BATCH));
    // schedule seeding: blocked seats of every layout become BLOCKED rows of every flight.
    await tx.execute(
      `INSERT INTO flight_seat (flight_id, aircraft_code, seat_number, status, blocked_reason)
       SELECT f.id, f.aircraft_code, a.seat_number, 'BLOCKED', a.blocked_reason
         FROM flight f
         JOIN aircraft_seat a ON a.aircraft_code = f.aircraft_code AND a.blocked
       ON CONFLICT (flight_id, seat_number) DO NOTHING`,
    );
    return inserted;
  });
  return { created, elapsedMs: Math.round(performance.now() - started) };
}

async function insertFlights(em: EntityManager, flights: ScheduledFlight[]): Promise<number> {
  const column = <T>(pick: (f: ScheduledFlight) => T) => flights.map(pick);
  // schedule seeding: one statement per batch, columns as arrays; ON CONFLICT on the natural
  // key (number, local departure date) makes seeding idempotent.
  const rows = await em.execute<{ id: string }[]>(
    `INSERT INTO flight (id, number, departure_date, route_id, origin, destination, aircraft_code,
                         scheduled_departure_time, departure_time, arrival_time, status, gate)
     SELECT gen_random_uuid(), s.number, s.departure_date, s.route_id, s.origin, s.destination,
            s.aircraft_code, s.departure_time, s.departure_time, s.arrival_time, 'SCHEDULED', s.gate
       FROM unnest(array[?]::varchar[], array[?]::date[], array[?]::varchar[], array[?]::varchar[],
                   array[?]::varchar[], array[?]::varchar[], array[?]::timestamptz[],
                   array[?]::timestamptz[], array[?]::varchar[])
            AS s(number, departure_date, route_id, origin, destination, aircraft_code,
                 departure_time, arrival_time, gate)
     ON CONFLICT (number, departure_date) DO NOTHING
     RETURNING id`,
    [
      column((f) => f.number),
      column((f) => f.departureDate),
      column((f) => f.routeId),
      column((f) => f.origin),
      column((f) => f.destination),
      column((f) => f.aircraftCode),
      column((f) => f.departureTime.toISOString()),
      column((f) => f.arrivalTime.toISOString()),
      column((f) => defaultGate(f.number, f.departureDate)),
    ],
  );
  return rows.length;
}
