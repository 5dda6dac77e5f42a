import { getAirport } from './airports.ts';
import { ROUTES, findRoute } from './routes.ts';
import { flightKey, formatInZone, generateSchedule } from './schedule.ts';
import type { ScheduledFlight } from './schedule.ts';

const flightsPerDay = ROUTES.reduce((sum, route) => sum + route.dailyFrequency, 0);
const plain = (flights: ScheduledFlight[]) =>
  flights.map((f) => ({
    ...f,
    departureTime: f.departureTime.toISOString(),
    arrivalTime: f.arrivalTime.toISOString(),
  }));

describe('generateSchedule', () => {
  // Spans the European spring change (29 March 2026), after the US one (8 March).
  const schedule = generateSchedule({ startDate: '2026-03-20', days: 14 });

  it('keeps the seeded volume laptop-sized: 150 to 400 flights a day', () => {
    expect(flightsPerDay).toBeGreaterThanOrEqual(150);
    expect(flightsPerDay).toBeLessThanOrEqual(400);
  });

  it('produces every route departure on every local date, no more', () => {
    expect(schedule).toHaveLength(14 * flightsPerDay);
    const perDate = new Map<string, number>();
    for (const f of schedule) perDate.set(f.departureDate, (perDate.get(f.departureDate) ?? 0) + 1);
    expect(perDate.size).toBe(14);
    for (const count of perDate.values()) expect(count).toBe(flightsPerDay);
    expect(perDate.has('2026-03-20')).toBe(true);
    expect(perDate.has('2026-04-02')).toBe(true);
  });

  it('defaults to 30 days', () => {
    expect(generateSchedule({ startDate: '2026-12-01' })).toHaveLength(30 * flightsPerDay);
  });

  it('is deterministic, so seeding twice gives identical flights', () => {
    expect(plain(generateSchedule({ startDate: '2026-03-20', days: 14 }))).toEqual(plain(schedule));
  });

  it('gives every flight a unique key: number plus local departure date', () => {
    const keys = schedule.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    const f = schedule[0]!;
    expect(f.key).toBe(flightKey(f.number, f.departureDate));
  });

  it('orders flights by departure instant', () => {
    for (let i = 1; i < schedule.length; i++) {
      expect(schedule[i]!.departureTime.getTime()).toBeGreaterThanOrEqual(
        schedule[i - 1]!.departureTime.getTime(),
      );
    }
  });

  it('departs at the route’s local time at the origin and lands a block time later', () => {
    for (const f of schedule) {
      const route = findRoute(f.origin, f.destination)!;
      const slot = route.flightNumbers.indexOf(f.number);
      const local = formatInZone(f.departureTime, getAirport(f.origin).timeZone);
      expect(local.slice(0, 16)).toBe(`${f.departureDate}T${route.departureTimes[slot]}`);
      expect(f.arrivalTime.getTime() - f.departureTime.getTime()).toBe(route.blockMinutes * 60_000);
      expect(f.arrivalTime.getTime()).toBeGreaterThan(f.departureTime.getTime());
      expect(f.aircraftCode).toBe(route.aircraftCode);
    }
  });

  it('shifts London departures by an hour in UTC across the clock change, not in local time', () => {
    const route = findRoute('LHR', 'JFK')!;
    const number = route.flightNumbers[0]!;
    const time = route.departureTimes[0]!;
    const before = schedule.find((f) => f.key === `${number}-2026-03-28`)!;
    const after = schedule.find((f) => f.key === `${number}-2026-03-29`)!;
    expect(formatInZone(before.departureTime, 'Europe/London')).toBe(`2026-03-28T${time}:00+00:00`);
    expect(formatInZone(after.departureTime, 'Europe/London')).toBe(`2026-03-29T${time}:00+01:00`);
    expect(after.departureTime.getTime() - before.departureTime.getTime()).toBe(23 * 3_600_000);
    // New York is already on summer time: the arrival carries -04:00.
    expect(formatInZone(after.arrivalTime, 'America/New_York')).toMatch(/-04:00$/);
  });

  it('carries New York’s offset change for departures from JFK in November', () => {
    const route = findRoute('JFK', 'LAX')!;
    const flights = generateSchedule({ startDate: '2026-10-31', days: 2, routes: [route] });
    const daily = route.dailyFrequency;
    expect(flights.map((f) => formatInZone(f.departureTime, 'America/New_York').slice(-6))).toEqual(
      [...Array<string>(daily).fill('-04:00'), ...Array<string>(daily).fill('-05:00')],
    );
    expect(formatInZone(flights[0]!.arrivalTime, 'America/Los_Angeles')).toMatch(/-07:00$/);
    expect(formatInZone(flights.at(-1)!.arrivalTime, 'America/Los_Angeles')).toMatch(/-08:00$/);
  });

  it('uses the origin’s date for overnight long haul landing the next day', () => {
    const f = schedule.find((x) => x.origin === 'LAX' && x.destination === 'SYD')!;
    expect(formatInZone(f.departureTime, 'America/Los_Angeles').slice(0, 10)).toBe(f.departureDate);
    expect(formatInZone(f.arrivalTime, 'Australia/Sydney').slice(0, 10) > f.departureDate).toBe(
      true,
    );
  });

  it('rejects a malformed start date or day count', () => {
    expect(() => generateSchedule({ startDate: '2026-02-30' })).toThrow(RangeError);
    expect(() => generateSchedule({ startDate: '2026-03-01', days: 0 })).toThrow(RangeError);
    expect(() => generateSchedule({ startDate: '2026-03-01', days: 1.5 })).toThrow(RangeError);
    expect(() => generateSchedule({ startDate: '2026-03-01', days: 400 })).toThrow(RangeError);
  });
});
