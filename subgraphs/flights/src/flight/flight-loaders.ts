import DataLoader from 'dataloader';
import type { EntityManager, SeatHolds } from '@airline/shared';
import { Airport, type AirportEntity } from '../airport/airport.entity.ts';
import type { SeatMap } from '../domain/seat-map.ts';
import { loadSeatMaps } from '../inventory/seat-maps.ts';
import { isUuid } from '../sql.ts';
import { selectFlights, type FlightRecord } from './flight-record.ts';

/** Request-scoped batch loaders of the read side: one query per kind of data per request. */
export interface FlightLoaders {
  flightById: DataLoader<string, FlightRecord | null>;
  /** Keyed by flight (its aircraft and fares are needed), cached by id. */
  seatMap: DataLoader<FlightRecord, SeatMap, string>;
  airportByCode: DataLoader<string, AirportEntity | null>;
  /** Destinations with an upcoming, not cancelled direct flight, alphabetical. */
  destinationCodes: DataLoader<string, string[]>;
  /** Every airport, alphabetical; primes `airportByCode`. */
  allAirports: () => Promise<AirportEntity[]>;
}

/** Builds the loaders of one request on the read pool's EntityManager, pricing at `now`. */
export function createFlightLoaders(em: EntityManager, holds: SeatHolds, now: Date): FlightLoaders {
  const airportByCode = new DataLoader<string, AirportEntity | null>(async (codes) => {
    const rows = await em.find(Airport, { code: { $in: [...codes] } });
    const byCode = new Map(rows.map((a) => [a.code, a]));
    return codes.map((code) => byCode.get(code) ?? null);
  });
  return {
    flightById: new DataLoader(async (ids) => {
      // A malformed id names no flight; PostgreSQL would reject it as a uuid instead.
      const rows = await selectFlights(em, ids.filter(isUuid));
      const byId = new Map(rows.map((f) => [f.id, f]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    seatMap: new DataLoader(
      async (flights) => {
        const maps = await loadSeatMaps(em, holds, flights, now);
        return flights.map((f) => maps.get(f.id)!);
      },
      { cacheKeyFn: (flight) => flight.id },
    ),
    airportByCode,
    destinationCodes: new DataLoader(async (origins) => {
      // network read: destinations actually flown from these airports from now on.
      const rows = await em.execute<{ origin: string; destination: string }[]>(
        `SELECT DISTINCT origin, destination
           FROM flight
          WHERE origin IN (?) AND status <> 'CANCELLED' AND departure_time > now()
          ORDER BY destination`,
        [origins],
      );
      return origins.map((o) => rows.filter((r) => r.origin === o).map((r) => r.destination));
    }),
    allAirports: async () => {
      const all = await em.find(Airport, {}, { orderBy: { code: 'asc' } });
      for (const airport of all) airportByCode.prime(airport.code, airport);
      return all;
    },
  };
}
