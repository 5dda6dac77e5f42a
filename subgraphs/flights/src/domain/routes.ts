// The airline's route network. Everything a route needs beyond "which airports, how often" is
// derived from the great-circle distance (block time, aircraft type, base fares) so the network
// stays a short, reviewable list and the numbers stay mutually consistent.
//
// One currency for every fare: USD (FARE_CURRENCY in pricing.ts). Real airlines file fares in
// the currency of the country of departure; a single currency keeps the totals of bookings and
// refunds simple.

import { AIRCRAFT_TYPES, AircraftCode, cabinsOf } from './aircraft.ts';
import { distanceKmBetween, getAirport } from './airports.ts';
import type { CabinClass } from './cabin.ts';
import { FARE_CURRENCY } from './pricing.ts';

/** The airline's IATA designator, the prefix of every flight number. */
export const AIRLINE_CODE = 'AS';

/** Base fares of one route in minor units of FARE_CURRENCY, for the cabins its aircraft has. */
export type BaseFares = Readonly<Partial<Record<CabinClass, number>>>;

/** One direction of a route, with everything the schedule generator and pricing need. */
export interface Route {
  /** 'ORIGIN-DESTINATION', e.g. 'JFK-LHR'. */
  readonly id: string;
  readonly origin: string;
  readonly destination: string;
  readonly distanceKm: number;
  /** Gate-to-gate time, the same every day (no seasonal wind adjustment). */
  readonly blockMinutes: number;
  readonly aircraftCode: AircraftCode;
  /** Departures per day; equals the length of departureTimes and flightNumbers. */
  readonly dailyFrequency: number;
  /** Local times 'HH:MM' at the origin, earliest first. */
  readonly departureTimes: readonly string[];
  /** Flight number of each daily departure, same index as departureTimes. */
  readonly flightNumbers: readonly string[];
  readonly baseFares: BaseFares;
  readonly currency: typeof FARE_CURRENCY;
}

// [airport A, airport B, departures per day in each direction, aircraft if not the default].
// Flight numbers come from a pair's position here, so append new pairs at the end: inserting
// one would renumber every flight after it.
type PairSpec = readonly [string, string, number, AircraftCode?];
const NETWORK: readonly PairSpec[] = [
  // North American trunk routes and hub feeders.
  ['JFK', 'LAX', 4],
  ['JFK', 'SFO', 3],
  ['LAX', 'SFO', 4],
  ['ATL', 'ORD', 3],
  ['ATL', 'MCO', 3],
  ['ATL', 'JFK', 2],
  ['ATL', 'MIA', 2],
  ['ATL', 'DFW', 2],
  ['ATL', 'LAX', 2],
  ['ATL', 'CLT', 1],
  ['ATL', 'BOS', 1],
  ['ORD', 'LAX', 2],
  ['ORD', 'DEN', 2],
  ['ORD', 'EWR', 2],
  ['ORD', 'SFO', 1],
  ['ORD', 'MSP', 1],
  ['ORD', 'BOS', 1],
  ['DFW', 'IAH', 2],
  ['DFW', 'LAX', 1],
  ['DFW', 'DEN', 1],
  ['DFW', 'PHX', 1],
  ['DEN', 'SEA', 1],
  ['DEN', 'LAS', 1],
  ['LAX', 'LAS', 2],
  ['LAX', 'SEA', 1],
  ['LAX', 'PHX', 1],
  ['JFK', 'MIA', 2],
  ['JFK', 'BOS', 2],
  ['JFK', 'MCO', 1],
  ['ORD', 'YYZ', 1],
  ['YYZ', 'YVR', 1],
  ['SEA', 'YVR', 1],
  ['IAH', 'MEX', 1],
  ['JFK', 'MEX', 1],
  // Across the Atlantic and to South America.
  ['JFK', 'LHR', 3],
  ['JFK', 'CDG', 1],
  ['JFK', 'FRA', 1],
  ['JFK', 'MAD', 1],
  ['BOS', 'LHR', 1],
  ['ORD', 'LHR', 1],
  ['ATL', 'LHR', 1],
  ['LAX', 'LHR', 1],
  ['YYZ', 'LHR', 1],
  ['EWR', 'DUB', 1],
  ['MIA', 'MAD', 1],
  ['JFK', 'GRU', 1],
  ['MIA', 'GRU', 1],
  // Europe, from the London and Frankfurt hubs and between capitals.
  ['LHR', 'CDG', 3],
  ['LHR', 'AMS', 3],
  ['LHR', 'DUB', 2],
  ['LHR', 'FRA', 2],
  ['LHR', 'MAD', 2],
  ['LHR', 'FCO', 1],
  ['LHR', 'ZRH', 1],
  ['LHR', 'MUC', 1],
  ['LHR', 'BCN', 1],
  ['LHR', 'LIS', 1],
  ['LHR', 'CPH', 1],
  ['LHR', 'IST', 1],
  ['FRA', 'MUC', 2],
  ['FRA', 'CDG', 1],
  ['FRA', 'VIE', 1],
  ['FRA', 'IST', 1],
  ['MAD', 'BCN', 4],
  ['MAD', 'LIS', 1],
  ['CDG', 'FCO', 1],
  ['AMS', 'CPH', 1],
  ['MUC', 'VIE', 1],
  // Europe to the Gulf, Africa and Asia; the Gulf hub.
  ['LHR', 'DXB', 2],
  ['LHR', 'DOH', 1],
  ['LHR', 'DEL', 1],
  ['LHR', 'SIN', 1],
  ['LHR', 'HKG', 1],
  ['LHR', 'JNB', 1],
  ['FRA', 'PVG', 1],
  ['DXB', 'DOH', 2],
  ['DXB', 'DEL', 1],
  ['DXB', 'BOM', 1],
  ['DXB', 'JNB', 1],
  ['DXB', 'SYD', 1],
  ['IST', 'DXB', 1],
  ['DEL', 'BOM', 3],
  // Asia and Oceania.
  ['SIN', 'KUL', 3],
  ['SIN', 'BKK', 2],
  ['SIN', 'HKG', 2],
  ['SIN', 'SYD', 1],
  ['SIN', 'HND', 1],
  ['SIN', 'DXB', 1],
  ['HKG', 'PVG', 2],
  ['HKG', 'PEK', 1],
  ['HND', 'ICN', 2],
  ['HND', 'PEK', 1],
  ['PEK', 'PVG', 3],
  ['ICN', 'PVG', 1],
  ['KUL', 'BKK', 1],
  ['NRT', 'BKK', 1],
  ['SYD', 'MEL', 4],
  ['SYD', 'AKL', 1],
  ['MEL', 'AKL', 1],
  // Across the Pacific.
  ['LAX', 'HND', 1],
  ['JFK', 'HND', 1],
  ['SFO', 'NRT', 1],
  ['SEA', 'NRT', 1],
  ['LAX', 'ICN', 1],
  ['SFO', 'HKG', 1],
  ['LAX', 'SYD', 1],
];

// Flight numbers: pair i owns the block 100 + 20i + 1 ... 100 + 20i + 20; the direction listed
// first gets the odd numbers, the return the even ones (AS101, AS103 out; AS102, AS104 back).
const FIRST_FLIGHT_BLOCK = 100;
const NUMBERS_PER_PAIR = 20;
/** Most departures per day and direction a route may have (bounded by its number block). */
export const MAX_DAILY_FREQUENCY = NUMBERS_PER_PAIR / 2;

// Long-haul starts here: the distance at which a narrow-body stops making sense for comfort
// and payload even when it has the range.
const WIDE_BODY_FROM_KM = 4500;
// Medium haul, or a trunk route this busy, gets the bigger narrow-body.
const A321_FROM_KM = 2000;
const A321_FROM_DAILY = 4;

/** The aircraft type the airline puts on a route of this length and frequency by default. */
export function defaultAircraftFor(distanceKm: number, dailyFrequency: number): AircraftCode {
  if (distanceKm >= WIDE_BODY_FROM_KM) return AircraftCode.B789;
  if (distanceKm >= A321_FROM_KM || dailyFrequency >= A321_FROM_DAILY) return AircraftCode.A321;
  return AircraftCode.A320;
}

// 45 minutes of taxi, climb and approach, then cruise at 830 km/h (Mach 0.78-0.85 at typical
// winds averaged over both directions); schedules are published in 5-minute steps.
const FIXED_BLOCK_MINUTES = 45;
const CRUISE_KMH = 830;

/** Scheduled gate-to-gate minutes for a distance, rounded to 5 minutes. */
export function blockMinutesFor(distanceKm: number): number {
  const minutes = FIXED_BLOCK_MINUTES + (distanceKm * 60) / CRUISE_KMH;
  return Math.round(minutes / 5) * 5;
}

// Economy base fare in whole dollars: a boarding charge plus a per-km rate that tapers with
// distance, as published fares do (short hops cost most per km).
const ECONOMY_TAPER: readonly { uptoKm: number; usdPerKm: number }[] = [
  { uptoKm: 1000, usdPerKm: 0.12 },
  { uptoKm: 5000, usdPerKm: 0.06 },
  { uptoKm: Infinity, usdPerKm: 0.035 },
];
const ECONOMY_BOARDING_USD = 39;
// Premium cabins as multiples of economy; business is a bigger step on long haul, where it is
// a lie-flat suite rather than an economy seat with the middle one blocked.
const CABIN_MULTIPLIER: Readonly<Record<CabinClass, { narrow: number; wide: number }>> = {
  ECONOMY: { narrow: 1, wide: 1 },
  PREMIUM_ECONOMY: { narrow: 1.8, wide: 1.8 },
  BUSINESS: { narrow: 3, wide: 4.5 },
  FIRST: { narrow: 6, wide: 8 },
};

/** Base fares in minor units (whole dollars) for the cabins of `aircraftCode` on a route this long. */
export function baseFaresFor(distanceKm: number, aircraftCode: AircraftCode): BaseFares {
  let economyUsd = ECONOMY_BOARDING_USD;
  let from = 0;
  for (const band of ECONOMY_TAPER) {
    economyUsd += Math.max(0, Math.min(distanceKm, band.uptoKm) - from) * band.usdPerKm;
    from = band.uptoKm;
  }
  const body = AIRCRAFT_TYPES[aircraftCode].bodyType === 'WIDE' ? 'wide' : 'narrow';
  const fares: Partial<Record<CabinClass, number>> = {};
  for (const cabin of cabinsOf(aircraftCode)) {
    fares[cabin] = Math.round(economyUsd * CABIN_MULTIPLIER[cabin][body]) * 100;
  }
  return Object.freeze(fares);
}

// FNV-1a: a tiny stable string hash, so departure times vary between routes but never
// between runs.
function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

// Banks of departures in local time: narrow-bodies fly from the first morning wave to the
// last evening one; long-haul departures cluster later so that they arrive at a civil hour.
const DEPARTURE_WINDOW = {
  NARROW: { first: 6 * 60, last: 21 * 60 + 30 },
  WIDE: { first: 9 * 60, last: 23 * 60 },
} as const;
const MAX_SHIFT_MINUTES = 30;

function toHhMm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Local departure times ('HH:MM', earliest first) for `dailyFrequency` flights on a route. */
export function departureTimesFor(
  routeId: string,
  aircraftCode: AircraftCode,
  dailyFrequency: number,
): string[] {
  const { first, last } = DEPARTURE_WINDOW[AIRCRAFT_TYPES[aircraftCode].bodyType];
  const hash = stableHash(routeId);
  if (dailyFrequency === 1) {
    return [toHhMm(first + 5 * (hash % ((last - first) / 5 + 1)))];
  }
  // Spread evenly over the window, shifted a little per route so hubs do not get every
  // departure on the same minute.
  const shift = 5 * (hash % (MAX_SHIFT_MINUTES / 5 + 1));
  const spacing = (last - first - MAX_SHIFT_MINUTES) / (dailyFrequency - 1);
  return Array.from({ length: dailyFrequency }, (_, slot) =>
    toHhMm(first + shift + Math.round((slot * spacing) / 5) * 5),
  );
}

function buildRoute(
  origin: string,
  destination: string,
  dailyFrequency: number,
  aircraftOverride: AircraftCode | undefined,
  firstNumber: number,
): Route {
  getAirport(origin);
  getAirport(destination);
  const id = `${origin}-${destination}`;
  const distanceKm = distanceKmBetween(origin, destination);
  const aircraftCode = aircraftOverride ?? defaultAircraftFor(distanceKm, dailyFrequency);
  if (distanceKm > AIRCRAFT_TYPES[aircraftCode].rangeKm) {
    throw new Error(`Route ${id} (${distanceKm} km) is beyond the range of the ${aircraftCode}`);
  }
  return Object.freeze({
    id,
    origin,
    destination,
    distanceKm,
    blockMinutes: blockMinutesFor(distanceKm),
    aircraftCode,
    dailyFrequency,
    departureTimes: Object.freeze(departureTimesFor(id, aircraftCode, dailyFrequency)),
    flightNumbers: Object.freeze(
      Array.from(
        { length: dailyFrequency },
        (_, slot) => `${AIRLINE_CODE}${firstNumber + 2 * slot}`,
      ),
    ),
    baseFares: baseFaresFor(distanceKm, aircraftCode),
    currency: FARE_CURRENCY,
  });
}

function buildNetwork(pairs: readonly PairSpec[]): readonly Route[] {
  const seen = new Set<string>();
  const routes: Route[] = [];
  pairs.forEach(([a, b, daily, aircraft], index) => {
    const key = [a, b].sort().join('-');
    if (a === b || seen.has(key)) throw new Error(`Route pair ${a}-${b} is listed twice or loops`);
    if (!Number.isInteger(daily) || daily < 1 || daily > MAX_DAILY_FREQUENCY) {
      throw new Error(`Route pair ${a}-${b}: ${daily} flights a day is out of range`);
    }
    seen.add(key);
    const block = FIRST_FLIGHT_BLOCK + NUMBERS_PER_PAIR * index;
    routes.push(buildRoute(a, b, daily, aircraft, block + 1));
    routes.push(buildRoute(b, a, daily, aircraft, block + 2));
  });
  return Object.freeze(routes);
}

/** Every route of the network, each pair's two directions next to each other. */
export const ROUTES: readonly Route[] = buildNetwork(NETWORK);

const byId: ReadonlyMap<string, Route> = new Map(ROUTES.map((route) => [route.id, route]));

/** The route flown from `origin` to `destination`, or undefined if there is none. */
export function findRoute(origin: string, destination: string): Route | undefined {
  return byId.get(`${origin}-${destination}`);
}

/** Every route departing from an airport. */
export function routesFrom(origin: string): readonly Route[] {
  return ROUTES.filter((route) => route.origin === origin);
}

/** IATA codes reachable non-stop from an airport, alphabetical (Airport.destinations). */
export function destinationsFrom(origin: string): string[] {
  return routesFrom(origin)
    .map((route) => route.destination)
    .sort();
}
