// Applying seatMapChanged messages to the seat map in the cache. Each message carries the seats
// whose status changed (the first one after subscribing: every seat) and the flight's seat map
// version, one more per change; delivery is at-most-once, so a skipped version means a missed
// change and the whole map is read again.
import type { ApolloCache } from '@apollo/client';
import { FlightQuery } from '../graphql/flights.ts';
import type { Seat } from '../seat-map/seat-layout.ts';

/** What to do with a message of version `incoming` after version `last` (undefined: none yet). */
export type VersionStep = 'apply' | 'stale' | 'gap';

/**
 * `apply` the next version (or the first message of a subscription, which holds the whole map);
 * `stale` for a version already seen (a repeat after a reconnection); `gap` when versions were
 * skipped: apply it (its seats are their current state) and read the whole map again.
 */
export function versionStep(last: number | undefined, incoming: number): VersionStep {
  if (last === undefined || incoming === last + 1) return 'apply';
  return incoming <= last ? 'stale' : 'gap';
}

/** The seat list with the changed seats replaced by their new state, in the list's order. */
export function mergeSeats<T extends { number: string }>(
  seats: readonly T[],
  changed: readonly T[],
): T[] {
  if (changed.length === 0) return [...seats];
  const next = new Map(changed.map((s) => [s.number, s]));
  return seats.map((s) => next.get(s.number) ?? s);
}

/**
 * Writes changed seats into the cached seat map of a flight (the Flight query the flight page
 * watches). Returns false when that map is not in the cache (nothing to update).
 */
export function writeSeatChanges(
  cache: ApolloCache,
  flightId: string,
  changed: readonly Seat[],
): boolean {
  let written = false;
  cache.updateQuery({ query: FlightQuery, variables: { id: flightId } }, (data) => {
    if (!data?.flight) return undefined;
    written = true;
    return { ...data, flight: { ...data.flight, seats: mergeSeats(data.flight.seats, changed) } };
  });
  return written;
}

/** Follows one subscription's versions: what to do with each message. */
export class SeatMapVersions {
  #last: number | undefined;

  /** Forget the versions seen: the next message starts afresh (a new connection's first message). */
  reset(): void {
    this.#last = undefined;
  }

  /** The step for a message, remembering its version unless it is stale. */
  step(version: number): VersionStep {
    const step = versionStep(this.#last, version);
    if (step !== 'stale') this.#last = version;
    return step;
  }
}
