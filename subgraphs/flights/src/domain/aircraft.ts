import { CABIN_CLASSES, CabinClass, SeatFeature } from './cabin.ts';

/** ICAO type designators of the fleet. */
export const AircraftCode = {
  A320: 'A320',
  A321: 'A321',
  B789: 'B789',
} as const;
/** One of the fleet's aircraft types. */
export type AircraftCode = (typeof AircraftCode)[keyof typeof AircraftCode];

/** A block of consecutive rows sharing one cabin class and one seat pattern. */
export interface CabinSection {
  readonly cabin: CabinClass;
  readonly firstRow: number;
  readonly lastRow: number;
  /** Seat letters from left to right as seen facing forward; a space is an aisle ('ABC DEF'). */
  readonly columns: string;
}

/** An aircraft type together with the airline's one cabin configuration of it. */
export interface AircraftType {
  readonly code: AircraftCode;
  readonly name: string;
  readonly bodyType: 'NARROW' | 'WIDE';
  /** Practical range with a full cabin; routes longer than this need another type. */
  readonly rangeKm: number;
  readonly sections: readonly CabinSection[];
  /** Row numbers that do not exist although they fall inside a section (superstition: 13). */
  readonly skippedRows: readonly number[];
  /** Rows at an emergency exit; they always have extra legroom too. */
  readonly exitRows: readonly number[];
  /** Rows with extra legroom that are not exit rows (bulkheads, sold as "extra legroom"). */
  readonly extraLegroomRows: readonly number[];
  /** Seats never sold, by seat number, with the reason shown to agents. */
  readonly blockedSeats: Readonly<Record<string, string>>;
}

/** One physical seat of an aircraft type's layout; inventory status lives elsewhere. */
export interface LayoutSeat {
  /** Row and column, e.g. '12A'. */
  readonly number: string;
  readonly row: number;
  readonly column: string;
  readonly cabin: CabinClass;
  /** In the order of SEAT_FEATURES; WINDOW and AISLE both apply to a seat alone by the window. */
  readonly features: readonly SeatFeature[];
  /** Never sold (crew seat, crew rest, inoperative); its inventory status is BLOCKED. */
  readonly blocked: boolean;
  readonly blockedReason: string | null;
}

/** Seat counts of one cabin of an aircraft type. */
export interface CabinCapacity {
  readonly cabin: CabinClass;
  /** Physical seats, blocked ones included. */
  readonly seats: number;
  readonly blocked: number;
  /** Seats that can be sold: the denominator of the cabin's load factor. */
  readonly sellable: number;
}

/** The fleet: one configuration per type, like a small airline that keeps its fleet uniform. */
export const AIRCRAFT_TYPES: Readonly<Record<AircraftCode, AircraftType>> = {
  // Short-haul workhorse: a European-style 2-2 business cabin up front, 3-3 economy behind,
  // two over-wing exit rows.
  A320: {
    code: 'A320',
    name: 'Airbus A320-200',
    bodyType: 'NARROW',
    rangeKm: 5700,
    sections: [
      { cabin: CabinClass.BUSINESS, firstRow: 1, lastRow: 3, columns: 'AC DF' },
      { cabin: CabinClass.ECONOMY, firstRow: 4, lastRow: 30, columns: 'ABC DEF' },
    ],
    skippedRows: [13],
    exitRows: [11, 12],
    extraLegroomRows: [4],
    blockedSeats: {},
  },
  // Busier and longer narrow-body routes. With its extra cabin crew member and too few jump
  // seats, one aisle seat in the last row is kept for crew.
  A321: {
    code: 'A321',
    name: 'Airbus A321neo',
    bodyType: 'NARROW',
    rangeKm: 6500,
    sections: [
      { cabin: CabinClass.BUSINESS, firstRow: 1, lastRow: 4, columns: 'AC DF' },
      { cabin: CabinClass.ECONOMY, firstRow: 5, lastRow: 33, columns: 'ABC DEF' },
    ],
    skippedRows: [13],
    exitRows: [10, 24],
    extraLegroomRows: [5],
    blockedSeats: { '33C': 'Reserved for cabin crew' },
  },
  // Long haul: 1-2-1 business suites, 2-3-2 premium economy, 3-3-3 economy. Column I is never
  // used (it reads like 1), so the right-hand block is HJK like on real wide-bodies; rows jump
  // between cabins as real seat maps do. This configuration has no crown bunk, so the last
  // centre block is curtained off as crew rest.
  B789: {
    code: 'B789',
    name: 'Boeing 787-9 Dreamliner',
    bodyType: 'WIDE',
    rangeKm: 14000,
    sections: [
      { cabin: CabinClass.BUSINESS, firstRow: 1, lastRow: 8, columns: 'A EF K' },
      { cabin: CabinClass.PREMIUM_ECONOMY, firstRow: 20, lastRow: 24, columns: 'AC DEF HK' },
      { cabin: CabinClass.ECONOMY, firstRow: 30, lastRow: 54, columns: 'ABC DEF HJK' },
    ],
    skippedRows: [13],
    exitRows: [30, 42],
    extraLegroomRows: [20],
    blockedSeats: { '54D': 'Crew rest', '54E': 'Crew rest', '54F': 'Crew rest' },
  },
};

/** Every aircraft type code of the fleet. */
export const AIRCRAFT_CODES: readonly AircraftCode[] = Object.keys(
  AIRCRAFT_TYPES,
) as AircraftCode[];

/** Narrows an untrusted string to an aircraft type code of the fleet. */
export function isAircraftCode(code: unknown): code is AircraftCode {
  return typeof code === 'string' && Object.hasOwn(AIRCRAFT_TYPES, code);
}

/** The aircraft type with this code; throws for a type the fleet does not have. */
export function getAircraftType(code: string): AircraftType {
  if (!isAircraftCode(code)) throw new RangeError(`Unknown aircraft type '${code}'`);
  return AIRCRAFT_TYPES[code];
}

/** Features a seat gets from its place in the row's column pattern ('ABC DEF'). */
export function positionFeatures(columns: string, column: string): SeatFeature[] {
  const groups = columns.trim().split(/\s+/);
  const groupIndex = groups.findIndex((group) => group.includes(column));
  const group = groups[groupIndex];
  if (group === undefined) throw new RangeError(`Column ${column} is not in pattern '${columns}'`);
  const position = group.indexOf(column);
  const window =
    (groupIndex === 0 && position === 0) ||
    (groupIndex === groups.length - 1 && position === group.length - 1);
  // A seat next to an aisle is one whose group has an aisle on that side: every group but the
  // first has one on its left, every group but the last one on its right.
  const aisle =
    (position === 0 && groupIndex > 0) ||
    (position === group.length - 1 && groupIndex < groups.length - 1);
  const features: SeatFeature[] = [];
  if (window) features.push(SeatFeature.WINDOW);
  if (aisle) features.push(SeatFeature.AISLE);
  if (!window && !aisle) features.push(SeatFeature.MIDDLE);
  return features;
}

function buildLayout(type: AircraftType): readonly LayoutSeat[] {
  const skipped = new Set(type.skippedRows);
  const exits = new Set(type.exitRows);
  const legroom = new Set(type.extraLegroomRows);
  const seats: LayoutSeat[] = [];
  for (const section of type.sections) {
    const letters = section.columns.replace(/\s+/g, '').split('');
    for (let row = section.firstRow; row <= section.lastRow; row++) {
      if (skipped.has(row)) continue;
      for (const column of letters) {
        const number = `${row}${column}`;
        const features = positionFeatures(section.columns, column);
        if (exits.has(row)) features.push(SeatFeature.EXIT_ROW);
        if (exits.has(row) || legroom.has(row)) features.push(SeatFeature.EXTRA_LEGROOM);
        const blockedReason = type.blockedSeats[number] ?? null;
        seats.push(
          Object.freeze({
            number,
            row,
            column,
            cabin: section.cabin,
            features: Object.freeze(features),
            blocked: blockedReason !== null,
            blockedReason,
          }),
        );
      }
    }
  }
  // A typo in the configuration would otherwise silently sell a seat meant to be blocked.
  const numbers = new Set(seats.map((seat) => seat.number));
  for (const blocked of Object.keys(type.blockedSeats)) {
    if (!numbers.has(blocked)) {
      throw new Error(`${type.code}: blocked seat ${blocked} is not in the layout`);
    }
  }
  return Object.freeze(seats);
}

const layouts = new Map<AircraftCode, readonly LayoutSeat[]>();

/** The seats of an aircraft type, front to back and left to right; the same frozen array each call. */
export function seatLayout(aircraftCode: string): readonly LayoutSeat[] {
  const type = getAircraftType(aircraftCode);
  let layout = layouts.get(type.code);
  if (!layout) {
    layout = buildLayout(type);
    layouts.set(type.code, layout);
  }
  return layout;
}

/** The seat with this number on an aircraft type, or undefined. */
export function findLayoutSeat(aircraftCode: string, seatNumber: string): LayoutSeat | undefined {
  return seatLayout(aircraftCode).find((seat) => seat.number === seatNumber);
}

/** Seat counts per cabin the type has, front cabin first. */
export function cabinCapacities(aircraftCode: string): readonly CabinCapacity[] {
  const layout = seatLayout(aircraftCode);
  return CABIN_CLASSES.flatMap((cabin) => {
    const inCabin = layout.filter((seat) => seat.cabin === cabin);
    if (inCabin.length === 0) return [];
    const blocked = inCabin.filter((seat) => seat.blocked).length;
    return [{ cabin, seats: inCabin.length, blocked, sellable: inCabin.length - blocked }];
  });
}

/** The cabin classes an aircraft type has, front cabin first. */
export function cabinsOf(aircraftCode: string): readonly CabinClass[] {
  return cabinCapacities(aircraftCode).map((capacity) => capacity.cabin);
}
