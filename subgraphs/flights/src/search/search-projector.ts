import type { EntityManager, Logger, MikroORM } from '@airline/shared';
import { findAirport } from '../domain/airports.ts';
import { localDateInZone } from '../domain/zoned-time.ts';
import { toDate } from '../sql.ts';
import { SearchCache } from './search-cache.ts';

interface ProjectedRow {
  origin: string;
  destination: string;
  departure_time: string | Date;
}

/** How often pending changes are looked for when nobody kicked the projector. */
export const SEARCH_PROJECTION_POLL_MS = 250;
const BATCH = 500;

// search projection: recomputes the read-model rows of the given flights from the inventory.
// The `previous` CTE sees the rows as they were before this statement, so both the old and the
// new search day of a delayed flight get invalidated. A slower projection never overwrites a
// newer one (refreshed_at guard).
const projectSql = (flightFilter: string, previousFilter: string) => `
  WITH previous AS (
    SELECT origin, destination, departure_time FROM search_flight s WHERE ${previousFilter}
  ), projected AS (
    INSERT INTO search_flight AS s
           (flight_id, origin, destination, departure_time, status, aircraft_code, taken_seats, refreshed_at)
    SELECT f.id, f.origin, f.destination, f.departure_time, f.status, f.aircraft_code,
           coalesce(array_agg(fs.seat_number ORDER BY fs.seat_number)
                      FILTER (WHERE fs.seat_number IS NOT NULL), '{}'),
           now()
      FROM flight f
      LEFT JOIN flight_seat fs ON fs.flight_id = f.id
     WHERE ${flightFilter}
     GROUP BY f.id
    ON CONFLICT (flight_id) DO UPDATE
       SET origin = excluded.origin, destination = excluded.destination,
           departure_time = excluded.departure_time, status = excluded.status,
           aircraft_code = excluded.aircraft_code, taken_seats = excluded.taken_seats,
           refreshed_at = excluded.refreshed_at
     WHERE s.refreshed_at <= excluded.refreshed_at
    RETURNING origin, destination, departure_time
  )
  SELECT origin, destination, departure_time FROM previous
  UNION
  SELECT origin, destination, departure_time FROM projected`;

/**
 * Keeps the search read model (`search_flight`) in step with flights and their inventory,
 * apart from the booking write path: writers only append a note to `search_change` in their
 * transaction (markSearchChanged); the projector consumes the notes on the read side's pool,
 * re-projects those flights and invalidates the cached searches they appear in. Notes are
 * consumed in the same transaction as the projection, so nothing is lost to a crash; `kick`
 * makes it look at once, a short poll catches the rest. The read model is also rebuilt at boot.
 */
export class SearchProjector {
  readonly #orm: MikroORM;
  readonly #cache: SearchCache;
  readonly #logger: Logger;
  readonly #pollMs: number;
  #running: Promise<void> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;

  constructor(
    orm: MikroORM,
    cache: SearchCache,
    logger: Logger,
    pollMs = SEARCH_PROJECTION_POLL_MS,
  ) {
    this.#orm = orm;
    this.#cache = cache;
    this.#logger = logger.child({ component: 'search-projector' });
    this.#pollMs = pollMs;
  }

  /** Rebuilds the read model of every flight that has not long departed; returns how many. */
  async rebuild(): Promise<number> {
    const rows = await this.#orm.em
      .fork()
      .execute<ProjectedRow[]>(projectSql(`f.departure_time > now() - interval '1 day'`, 'false'));
    await this.#cache.invalidate(this.#keysOf(rows));
    return rows.length;
  }

  /** Starts polling for changes. */
  start(): void {
    this.#stopped = false;
    this.#schedule(this.#pollMs);
  }

  /** Looks for committed changes now (after a change this process just committed). */
  kick(): void {
    if (!this.#stopped) void this.flush();
  }

  /** Projects every committed change; resolves when none is left (tests, shutdown). */
  async flush(): Promise<void> {
    if (this.#running) {
      // A change may have committed after the running pass read the notes: go round again.
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#drain().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Stops polling and finishes the pass in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      do {
        this.#again = false;
        while ((await this.#projectBatch()) === BATCH);
      } while (this.#again);
    } catch (err) {
      // The notes stay where they are: the next poll tries again.
      this.#logger.error({ err }, 'search projection failed; will retry');
    }
  }

  async #projectBatch(): Promise<number> {
    const { notes, rows } = await this.#orm.em.fork().transactional(async (em: EntityManager) => {
      // search projection: claim notes (SKIP LOCKED, so replicas share the work) and project
      // their flights in the same transaction: a failure puts the notes back.
      const claimed = await em.execute<{ flight_id: string }[]>(
        `DELETE FROM search_change
          WHERE id IN (SELECT id FROM search_change ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
         RETURNING flight_id`,
      );
      const ids = [...new Set(claimed.map((c) => c.flight_id))];
      if (!ids.length) return { notes: 0, rows: [] as ProjectedRow[] };
      const projected = await em.execute<ProjectedRow[]>(
        projectSql('f.id IN (?)', 's.flight_id IN (?)'),
        [ids, ids],
      );
      return { notes: claimed.length, rows: projected };
    });
    if (rows.length) await this.#cache.invalidate(this.#keysOf(rows));
    return notes;
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.flush().finally(() => this.#schedule(this.#pollMs));
    }, ms);
  }

  #keysOf(rows: ProjectedRow[]): string[] {
    return rows.flatMap((row) => {
      const zone = findAirport(row.origin)?.timeZone;
      if (!zone) return [];
      const date = localDateInZone(toDate(row.departure_time), zone);
      return [SearchCache.key(row.origin, row.destination, date)];
    });
  }
}
