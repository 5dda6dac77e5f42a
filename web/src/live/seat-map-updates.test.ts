import { describe, expect, test } from 'vitest';
import { createCache } from '../apollo/cache.ts';
import { FlightQuery } from '../graphql/flights.ts';
import type { Seat } from '../seat-map/seat-layout.ts';
import { mergeSeats, SeatMapVersions, versionStep, writeSeatChanges } from './seat-map-updates.ts';

const seat = (
  number: string,
  status: Seat['status'] = 'AVAILABLE',
): Seat & { __typename: 'Seat' } => ({
  __typename: 'Seat',
  number,
  row: Number.parseInt(number, 10),
  column: number.replace(/^\d+/, ''),
  cabin: 'ECONOMY',
  status,
  features: ['WINDOW'],
  price: status === 'BLOCKED' ? null : { amount: '99.00', currency: 'USD' },
});

const airport = (code: string, timeZone: string) => ({
  __typename: 'Airport' as const,
  code,
  name: `${code} airport`,
  city: code,
  country: 'US',
  timeZone,
});

/** The Flight query's answer for a flight with these seats. */
const flightData = (seats: Seat[]) => ({
  flight: {
    __typename: 'Flight' as const,
    id: 'f1',
    number: 'AS101',
    origin: airport('JFK', 'America/New_York'),
    destination: airport('BOS', 'America/New_York'),
    departureTime: '2030-01-14T08:35:00-05:00',
    arrivalTime: '2030-01-14T09:40:00-05:00',
    scheduledDepartureTime: '2030-01-14T08:35:00-05:00',
    durationMinutes: 65,
    status: 'SCHEDULED' as const,
    gate: 'B12',
    delayReason: null,
    cancellationReason: null,
    aircraft: { __typename: 'Aircraft' as const, code: 'A320', name: 'Airbus A320-200' },
    seats,
  },
});

describe('seat map versions', () => {
  test('the first message and the next version apply; a repeat is stale; a skip is a gap', () => {
    expect(versionStep(undefined, 7)).toBe('apply');
    expect(versionStep(7, 8)).toBe('apply');
    expect(versionStep(8, 8)).toBe('stale');
    expect(versionStep(8, 5)).toBe('stale');
    expect(versionStep(8, 11)).toBe('gap');
  });

  test('a subscription remembers what it saw, and forgets on a new connection', () => {
    const versions = new SeatMapVersions();
    expect(versions.step(3)).toBe('apply');
    expect(versions.step(3)).toBe('stale');
    expect(versions.step(6)).toBe('gap');
    expect(versions.step(7)).toBe('apply');
    versions.reset();
    // After a reconnection the first message holds the whole map, whatever its version.
    expect(versions.step(7)).toBe('apply');
  });
});

describe('merging changed seats into the map', () => {
  test('replaces the changed seats in place and keeps the others', () => {
    const merged = mergeSeats([seat('1A'), seat('1B'), seat('1C')], [seat('1B', 'HELD')]);
    expect(merged.map((s) => `${s.number}:${s.status}`)).toEqual([
      '1A:AVAILABLE',
      '1B:HELD',
      '1C:AVAILABLE',
    ]);
  });

  test('ignores seats the map does not have', () => {
    expect(mergeSeats([seat('1A')], [seat('99Z', 'HELD')]).map((s) => s.number)).toEqual(['1A']);
  });
});

describe('seat map updates in the Apollo cache', () => {
  test('change the cached Flight query the flight page watches', () => {
    const cache = createCache();
    cache.writeQuery({
      query: FlightQuery,
      variables: { id: 'f1' },
      data: flightData([seat('12A'), seat('12B')]),
    });
    const seen: string[][] = [];
    const stop = cache.watch({
      query: FlightQuery,
      variables: { id: 'f1' },
      optimistic: false,
      callback: (diff) =>
        seen.push((diff.result?.flight?.seats ?? []).map((s) => `${s.number}:${s.status}`)),
    });

    expect(writeSeatChanges(cache, 'f1', [seat('12A', 'HELD')])).toBe(true);

    expect(seen.at(-1)).toEqual(['12A:HELD', '12B:AVAILABLE']);
    stop();
  });

  test('do nothing for a flight whose map is not in the cache', () => {
    expect(writeSeatChanges(createCache(), 'f2', [seat('12A', 'HELD')])).toBe(false);
  });
});
