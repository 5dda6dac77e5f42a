// Turns the route network into dated flights. Pure and deterministic: the same start date and
// day count always give the same flights with the same numbers and instants, so seeding can
// upsert on `key` and be run any number of times.

import type { AircraftCode } from './aircraft.ts';
import { ROUTES } from './routes.ts';
import type { Route } from './routes.ts';
import { getAirport } from './airports.ts';
import { addDays, localDateTimeToInstant, parseDateYmd } from './zoned-time.ts';
import type { DateYmd } from './zoned-time.ts';

/** Time-zone helpers the schedule is built with, re-exported for the API layer. */
export {
  formatInZone,
  localDateTimeToInstant,
  localDateInZone,
  localDayBounds,
} from './zoned-time.ts';

/** One dated departure of a route, before it has inventory, gate or status. */
export interface ScheduledFlight {
  /** Natural key, unique across the schedule: flight number and local departure date ('AS101-2026-12-01'). */
  readonly key: string;
  readonly number: string;
  readonly routeId: string;
  readonly origin: string;
  readonly destination: string;
  /** Calendar date of departure in the origin's time zone: the date a flight search matches. */
  readonly departureDate: DateYmd;
  readonly departureTime: Date;
  readonly arrivalTime: Date;
  readonly aircraftCode: AircraftCode;
}

/** What to generate: `days` consecutive local departure dates starting at `startDate`. */
export interface ScheduleOptions {
  readonly startDate: DateYmd;
  /** Defaults to 30. */
  readonly days?: number;
  /** Defaults to the whole network. */
  readonly routes?: readonly Route[];
}

/** Longest schedule generated in one call: a year, enough for any seeding or test. */
export const MAX_SCHEDULE_DAYS = 366;

/** The natural key of a flight: its number and local departure date. */
export function flightKey(number: string, departureDate: DateYmd): string {
  return `${number}-${departureDate}`;
}

/** Every flight of the network departing on the given local dates, ordered by departure then number. */
export function generateSchedule(options: ScheduleOptions): ScheduledFlight[] {
  const { startDate, days = 30, routes = ROUTES } = options;
  parseDateYmd(startDate);
  if (!Number.isInteger(days) || days < 1 || days > MAX_SCHEDULE_DAYS) {
    throw new RangeError(`days must be a whole number from 1 to ${MAX_SCHEDULE_DAYS}, got ${days}`);
  }
  const flights: ScheduledFlight[] = [];
  for (let offset = 0; offset < days; offset++) {
    const date = addDays(startDate, offset);
    for (const route of routes) {
      const { timeZone } = getAirport(route.origin);
      route.departureTimes.forEach((time, slot) => {
        const number = route.flightNumbers[slot]!;
        const departureTime = localDateTimeToInstant(date, time, timeZone);
        flights.push(
          Object.freeze({
            key: flightKey(number, date),
            number,
            routeId: route.id,
            origin: route.origin,
            destination: route.destination,
            departureDate: date,
            departureTime,
            arrivalTime: new Date(departureTime.getTime() + route.blockMinutes * 60_000),
            aircraftCode: route.aircraftCode,
          }),
        );
      });
    }
  }
  return flights.sort(
    (a, b) =>
      a.departureTime.getTime() - b.departureTime.getTime() ||
      (a.number < b.number ? -1 : a.number > b.number ? 1 : 0),
  );
}
