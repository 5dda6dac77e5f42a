// The seat map of one flight at one moment: the aircraft's layout overlaid with the inventory
// (booked and blocked seats, from PostgreSQL) and the live holds (from Redis), priced with the
// load factor that results. Pure, so the GraphQL seat map, `availableSeats`, `fare` and the
// internal seat quote all compute the same numbers from the same inputs.

import { seatLayout } from './aircraft.ts';
import { CABIN_CLASSES, SeatStatus, type CabinClass, type SeatFeature } from './cabin.ts';
import {
  FARE_CURRENCY,
  cabinFare,
  daysUntilDeparture,
  loadFactorOf,
  priceSeat,
} from './pricing.ts';
import type { BaseFares } from './routes.ts';

/** A row of the inventory: a seat that is not free on a flight. */
export interface TakenSeat {
  readonly seatNumber: string;
  readonly status: 'BOOKED' | 'BLOCKED';
  readonly bookingId: string | null;
}

/** Everything a seat map is computed from. */
export interface SeatMapInput {
  readonly aircraftCode: string;
  /** Inventory rows of the flight (booked and blocked seats). */
  readonly taken: readonly TakenSeat[];
  /** Seat numbers with a live hold. */
  readonly held: ReadonlySet<string>;
  readonly baseFares: BaseFares;
  readonly departureTime: Date;
  readonly now: Date;
}

/** One seat as a customer sees it. */
export interface SeatView {
  readonly number: string;
  readonly row: number;
  readonly column: string;
  readonly cabin: CabinClass;
  readonly features: readonly SeatFeature[];
  readonly status: SeatStatus;
  /** What the seat costs right now in minor units (nominal for booked and blocked seats). */
  readonly priceMinor: number | null;
}

/** Counts and fare of one cabin. */
export interface CabinInventory {
  readonly cabin: CabinClass;
  readonly seats: number;
  /** Seats that can be sold at all: the load factor's denominator. */
  readonly sellable: number;
  readonly available: number;
  readonly held: number;
  readonly booked: number;
  readonly blocked: number;
  /** Booked plus held share of the sellable seats. */
  readonly loadFactor: number;
  /** The cabin fare before seat surcharges, minor units; null when the route files no fare for it. */
  readonly fareMinor: number | null;
}

/** A flight's seats and cabins at one moment. */
export interface SeatMap {
  readonly seats: readonly SeatView[];
  readonly cabins: readonly CabinInventory[];
  readonly currency: string;
  readonly daysToDeparture: number;
}

/**
 * Status precedence: BLOCKED (layout or inventory) > BOOKED (inventory) > HELD (Redis) >
 * AVAILABLE. A hold on a seat that is already booked (a confirmed booking whose hold has not
 * lapsed yet) changes nothing.
 */
function statusOf(blockedInLayout: boolean, row: TakenSeat | undefined, held: boolean): SeatStatus {
  if (blockedInLayout || row?.status === 'BLOCKED') return SeatStatus.BLOCKED;
  if (row?.status === 'BOOKED') return SeatStatus.BOOKED;
  if (held) return SeatStatus.HELD;
  return SeatStatus.AVAILABLE;
}

/** Seats whose hold would matter: in the layout, not blocked and not booked (what to ask Redis about). */
export function holdCandidates(aircraftCode: string, taken: readonly TakenSeat[]): string[] {
  const takenNumbers = new Set(taken.map((t) => t.seatNumber));
  return seatLayout(aircraftCode)
    .filter((seat) => !seat.blocked && !takenNumbers.has(seat.number))
    .map((seat) => seat.number);
}

/** Computes statuses, per-cabin counts, load factors, fares and seat prices. */
export function buildSeatMap(input: SeatMapInput): SeatMap {
  const layout = seatLayout(input.aircraftCode);
  const rows = new Map(input.taken.map((t) => [t.seatNumber, t]));
  const statuses = layout.map((seat) =>
    statusOf(seat.blocked, rows.get(seat.number), input.held.has(seat.number)),
  );
  const daysToDeparture = daysUntilDeparture(input.departureTime, input.now);

  const cabins: CabinInventory[] = [];
  for (const cabin of CABIN_CLASSES) {
    const inCabin = statuses.filter((_, i) => layout[i]!.cabin === cabin);
    if (!inCabin.length) continue;
    const count = (s: SeatStatus) => inCabin.filter((x) => x === s).length;
    const blocked = count(SeatStatus.BLOCKED);
    const booked = count(SeatStatus.BOOKED);
    const held = count(SeatStatus.HELD);
    const sellable = inCabin.length - blocked;
    const loadFactor = loadFactorOf(booked + held, sellable);
    const baseFare = input.baseFares[cabin];
    cabins.push({
      cabin,
      seats: inCabin.length,
      sellable,
      available: count(SeatStatus.AVAILABLE),
      held,
      booked,
      blocked,
      loadFactor,
      fareMinor:
        baseFare === undefined ? null : cabinFare({ baseFare, cabin, loadFactor, daysToDeparture }),
    });
  }

  const byCabin = new Map(cabins.map((c) => [c.cabin, c]));
  const seats = layout.map((seat, i): SeatView => {
    const cabin = byCabin.get(seat.cabin)!;
    const baseFare = input.baseFares[seat.cabin];
    return {
      number: seat.number,
      row: seat.row,
      column: seat.column,
      cabin: seat.cabin,
      features: seat.features,
      status: statuses[i]!,
      priceMinor:
        baseFare === undefined
          ? null
          : priceSeat({
              baseFare,
              cabin: seat.cabin,
              loadFactor: cabin.loadFactor,
              daysToDeparture,
              features: seat.features,
            }),
    };
  });
  return { seats, cabins, currency: FARE_CURRENCY, daysToDeparture };
}

/** AVAILABLE seats in one cabin, or in all cabins when none is given. */
export function availableSeats(map: SeatMap, cabin?: CabinClass | null): number {
  return map.cabins
    .filter((c) => !cabin || c.cabin === cabin)
    .reduce((sum, c) => sum + c.available, 0);
}

/** The fare of one cabin, or the lowest cabin fare when none is given; null when there is none. */
export function fareOf(map: SeatMap, cabin?: CabinClass | null): number | null {
  if (cabin) return map.cabins.find((c) => c.cabin === cabin)?.fareMinor ?? null;
  const fares = map.cabins.flatMap((c) => (c.fareMinor === null ? [] : [c.fareMinor]));
  return fares.length ? Math.min(...fares) : null;
}

/**
 * Free seats per cabin from the seats not taken in the inventory (see holdCandidates) minus the
 * held ones: what search filters on. Every cabin of the aircraft is present, 0 when full.
 */
export function freeSeatsByCabin(
  aircraftCode: string,
  candidates: readonly string[],
  held: { has(seat: string): boolean } = new Set<string>(),
): Partial<Record<CabinClass, number>> {
  const cabinOf = new Map(seatLayout(aircraftCode).map((seat) => [seat.number, seat.cabin]));
  const free: Partial<Record<CabinClass, number>> = {};
  for (const seat of seatLayout(aircraftCode)) free[seat.cabin] ??= 0;
  for (const seat of candidates) {
    const cabin = cabinOf.get(seat);
    if (cabin && !held.has(seat)) free[cabin] = (free[cabin] ?? 0) + 1;
  }
  return free;
}
