import type { EntityManager } from '@airline/shared';
import {
  AIRCRAFT_CODES,
  AIRCRAFT_TYPES,
  seatLayout,
  type AircraftCode,
} from '../domain/aircraft.ts';
import { AIRPORTS, distanceKmBetween } from '../domain/airports.ts';
import type { CabinClass } from '../domain/cabin.ts';
import { FARE_CURRENCY } from '../domain/pricing.ts';
import {
  ROUTES,
  baseFaresFor,
  blockMinutesFor,
  defaultAircraftFor,
  type Route,
} from '../domain/routes.ts';

// Literal rows for a VALUES list; MikroORM inlines `?` parameters as quoted literals.
const placeholders = (columns: number, rows: number): string =>
  Array.from({ length: rows }, () => `(${Array(columns).fill('?').join(', ')})`).join(', ');

/**
 * Mirrors the domain's reference data into the database: airports, aircraft types and their
 * seat layouts, the route network and its base fares. Upserts, so every boot applies the
 * current network and a second boot changes nothing.
 */
export async function syncReferenceData(em: EntityManager): Promise<void> {
  await em.transactional(async (tx) => {
    // reference data: airports
    await tx.execute(
      `INSERT INTO airport (code, name, city, country, time_zone, latitude, longitude)
       VALUES ${placeholders(7, AIRPORTS.length)}
       ON CONFLICT (code) DO UPDATE SET name = excluded.name, city = excluded.city,
         country = excluded.country, time_zone = excluded.time_zone,
         latitude = excluded.latitude, longitude = excluded.longitude`,
      AIRPORTS.flatMap((a) => [
        a.code,
        a.name,
        a.city,
        a.country,
        a.timeZone,
        a.latitude,
        a.longitude,
      ]),
    );
    // reference data: aircraft types and every seat of their layouts
    await tx.execute(
      `INSERT INTO aircraft_type (code, name, body_type) VALUES ${placeholders(3, AIRCRAFT_CODES.length)}
       ON CONFLICT (code) DO UPDATE SET name = excluded.name, body_type = excluded.body_type`,
      AIRCRAFT_CODES.flatMap((c) => [c, AIRCRAFT_TYPES[c].name, AIRCRAFT_TYPES[c].bodyType]),
    );
    const seats = AIRCRAFT_CODES.flatMap((code) => seatLayout(code).map((s) => ({ code, ...s })));
    await tx.execute(
      `INSERT INTO aircraft_seat (aircraft_code, seat_number, seat_row, seat_column, cabin, features, blocked, blocked_reason)
       VALUES ${Array(seats.length).fill('(?, ?, ?, ?, ?, ?::text[], ?, ?)').join(', ')}
       ON CONFLICT (aircraft_code, seat_number) DO UPDATE SET seat_row = excluded.seat_row,
         seat_column = excluded.seat_column, cabin = excluded.cabin, features = excluded.features,
         blocked = excluded.blocked, blocked_reason = excluded.blocked_reason`,
      seats.flatMap((s) => [
        s.code,
        s.number,
        s.row,
        s.column,
        s.cabin,
        `{${s.features.join(',')}}`,
        s.blocked,
        s.blockedReason,
      ]),
    );
    await upsertRoutes(tx, ROUTES);
  });
}

/** Writes routes and their base fares (new ones inserted, existing ones updated). */
async function upsertRoutes(em: EntityManager, routes: readonly Route[]): Promise<void> {
  if (!routes.length) return;
  // reference data: routes
  await em.execute(
    `INSERT INTO route (id, origin, destination, distance_km, block_minutes, aircraft_code)
     VALUES ${placeholders(6, routes.length)}
     ON CONFLICT (id) DO UPDATE SET distance_km = excluded.distance_km,
       block_minutes = excluded.block_minutes, aircraft_code = excluded.aircraft_code`,
    routes.flatMap((r) => [
      r.id,
      r.origin,
      r.destination,
      r.distanceKm,
      r.blockMinutes,
      r.aircraftCode,
    ]),
  );
  const fares = routes.flatMap((r) =>
    (Object.entries(r.baseFares) as [CabinClass, number][]).map(([cabin, fare]) => [
      r.id,
      cabin,
      fare,
    ]),
  );
  // reference data: base fares per route and cabin
  await em.execute(
    `INSERT INTO route_fare (route_id, cabin, base_fare_minor, currency)
     VALUES ${placeholders(4, fares.length)}
     ON CONFLICT (route_id, cabin) DO UPDATE SET base_fare_minor = excluded.base_fare_minor,
       currency = excluded.currency`,
    fares.flatMap((f) => [...f, FARE_CURRENCY]),
  );
}

/**
 * Makes sure a route exists between two served airports with fares for every cabin of the
 * aircraft flying it (an agent may schedule a pair the network does not fly yet, or put a
 * bigger aircraft on a route); existing fares are kept. Returns the route's block time.
 */
export async function ensureRoute(
  em: EntityManager,
  origin: string,
  destination: string,
  aircraftCode: AircraftCode | null,
): Promise<{ routeId: string; blockMinutes: number; aircraftCode: AircraftCode }> {
  const id = `${origin}-${destination}`;
  const distanceKm = distanceKmBetween(origin, destination);
  const [existing] = await em.execute<{ block_minutes: number; aircraft_code: AircraftCode }[]>(
    'SELECT block_minutes, aircraft_code FROM route WHERE id = ?',
    [id],
  );
  const aircraft = aircraftCode ?? existing?.aircraft_code ?? defaultAircraftFor(distanceKm, 1);
  const blockMinutes = existing?.block_minutes ?? blockMinutesFor(distanceKm);
  if (!existing)
    await em.execute(
      `INSERT INTO route (id, origin, destination, distance_km, block_minutes, aircraft_code)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      [id, origin, destination, distanceKm, blockMinutes, aircraft],
    );
  const fares = Object.entries(baseFaresFor(distanceKm, aircraft));
  // Missing cabins get the network formula's fare; filed fares stay as they are.
  await em.execute(
    `INSERT INTO route_fare (route_id, cabin, base_fare_minor, currency)
     VALUES ${placeholders(4, fares.length)}
     ON CONFLICT (route_id, cabin) DO NOTHING`,
    fares.flatMap(([cabin, fare]) => [id, cabin, fare, FARE_CURRENCY]),
  );
  return { routeId: id, blockMinutes, aircraftCode: aircraft };
}
