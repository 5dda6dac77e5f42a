import { parseInput, type MikroORM, type SeatHolds } from '@airline/shared';
import { getAirport } from '../domain/airports.ts';
import { freeSeatsByCabin, holdCandidates } from '../domain/seat-map.ts';
import { localDayBounds } from '../domain/zoned-time.ts';
import { toDate } from '../sql.ts';
import { SearchCache, type SearchHit } from './search-cache.ts';
import { searchInput, type SearchQuery } from './search.validation.ts';

interface SearchRow {
  flight_id: string;
  departure_time: string | Date;
  aircraft_code: string;
  taken_seats: string[];
}

/**
 * Flight search: validated input, then the cache, then on a miss ONE computation per search day
 * (concurrent misses share it) over the read model and the live holds, on the read pool. It
 * answers with flight ids in departure order; the resolvers load the flights themselves. How
 * many searches run at once is the search gate's business (http/search-gate.ts).
 */
export class FlightSearch {
  readonly #orm: MikroORM;
  readonly #cache: SearchCache;
  readonly #holds: SeatHolds;
  readonly #inFlight = new Map<string, Promise<SearchHit[]>>();

  constructor(orm: MikroORM, cache: SearchCache, holds: SeatHolds) {
    this.#orm = orm;
    this.#cache = cache;
    this.#holds = holds;
  }

  /** Ids of the flights matching the search at `now`, earliest departure first. */
  async search(raw: unknown, now: Date): Promise<string[]> {
    const query = parseInput(searchInput(now), raw);
    const hits = await this.#hitsFor(query);
    return hits
      .filter((hit) => hit.departureMs > now.getTime())
      .filter((hit) =>
        query.cabin
          ? (hit.free[query.cabin] ?? 0) >= query.passengers
          : Object.values(hit.free).some((n) => n >= query.passengers),
      )
      .map((hit) => hit.flightId);
  }

  async #hitsFor(query: SearchQuery): Promise<SearchHit[]> {
    const key = SearchCache.key(query.origin, query.destination, query.date);
    const shared = this.#inFlight.get(key);
    if (shared) return shared;
    const lookup = (async () => {
      const cached = await this.#cache.get(key);
      if (cached.hits) return cached.hits;
      const hits = await this.#compute(query);
      await this.#cache.set(key, cached.generation, hits);
      return hits;
    })().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, lookup);
    return lookup;
  }

  async #compute(query: SearchQuery): Promise<SearchHit[]> {
    const { start, end } = localDayBounds(query.date, getAirport(query.origin).timeZone);
    // flight search: the read model only, never the inventory tables the booking path writes.
    const rows = await this.#orm.em.fork().execute<SearchRow[]>(
      `SELECT flight_id, departure_time, aircraft_code, taken_seats
         FROM search_flight
        WHERE origin = ? AND destination = ?
          AND departure_time >= ? AND departure_time < ?
          AND status <> 'CANCELLED'
        ORDER BY departure_time, flight_id`,
      [query.origin, query.destination, start, end],
    );
    const candidates = rows.map((row) => {
      const taken = row.taken_seats.map((seatNumber) => ({
        seatNumber,
        status: 'BOOKED' as const,
        bookingId: null,
      }));
      return { row, taken, seats: holdCandidates(row.aircraft_code, taken) };
    });
    const held = await this.#holds.heldSeatsOfFlights(
      candidates.map((c) => ({ id: c.row.flight_id, seats: c.seats })),
    );
    return candidates.map(({ row, seats }) => ({
      flightId: row.flight_id,
      departureMs: toDate(row.departure_time).getTime(),
      free: freeSeatsByCabin(row.aircraft_code, seats, held.get(row.flight_id)),
    }));
  }
}
