// How a flight's seat list becomes a seat map: cabins front to back, each a grid of rows and
// lettered columns with its aisles, exit rows marked, and what each seat says to a screen reader.
// The contract sends seats, not drawings: aisles are read from the seats' AISLE features.
import type {
  CabinClass,
  SeatFeature,
  SeatFieldsFragment,
  SeatStatus,
} from '../__generated__/graphql.ts';
import { money, type Money } from '../format/money.ts';

/** A seat as the map needs it (the SeatFields fragment). */
export type Seat = SeatFieldsFragment;

/** One column of a cabin: its letter and whether an aisle runs on its left. */
export interface ColumnSlot {
  letter: string;
  afterAisle: boolean;
}

/** One row of a cabin: a seat (or a gap) under each of the cabin's columns. */
export interface SeatRow {
  row: number;
  /** An emergency exit row (extra legroom, restrictions apply). */
  exit: boolean;
  seats: (Seat | null)[];
}

/** One cabin of the map. */
export interface CabinLayout {
  cabin: CabinClass;
  columns: ColumnSlot[];
  rows: SeatRow[];
  /** The lowest price of a seat that can be chosen now; null when none can. */
  fromPrice: Money | null;
}

export const CABIN_NAMES: Record<CabinClass, string> = {
  FIRST: 'First',
  BUSINESS: 'Business',
  PREMIUM_ECONOMY: 'Premium Economy',
  ECONOMY: 'Economy',
};

const FEATURE_WORDS: Record<SeatFeature, string> = {
  WINDOW: 'window',
  AISLE: 'aisle',
  MIDDLE: 'middle',
  EXIT_ROW: 'exit row',
  EXTRA_LEGROOM: 'extra legroom',
};
const FEATURE_ORDER: SeatFeature[] = ['WINDOW', 'AISLE', 'MIDDLE', 'EXIT_ROW', 'EXTRA_LEGROOM'];

/**
 * Where the aisles are, from the columns' features, left to right: the first block of seats ends
 * at its first aisle seat, and every later block starts with an aisle seat and ends at its next
 * one. So 'ABC DEF' and 'A EF K' (a middle pair whose seats are both on an aisle) come out right;
 * a middle block of a single seat would not (no aircraft of the fleet has one).
 */
export function columnSlots(
  letters: readonly string[],
  features: ReadonlyMap<string, ReadonlySet<SeatFeature>>,
): ColumnSlot[] {
  const slots: ColumnSlot[] = [];
  let inBlock = false;
  let blocks = 0;
  for (const letter of letters) {
    const aisle = features.get(letter)?.has('AISLE') ?? false;
    if (!inBlock) {
      slots.push({ letter, afterAisle: blocks > 0 });
      // A later block's first seat is its left-hand aisle seat, which does not close it.
      inBlock = !(blocks === 0 && aisle);
      blocks++;
      continue;
    }
    slots.push({ letter, afterAisle: false });
    if (aisle) inBlock = false;
  }
  return slots;
}

function priceOrder(a: Money, b: Money): number {
  return Number(a.amount) - Number(b.amount);
}

/** The seat map of a flight: its cabins front to back. */
export function layoutSeatMap(seats: readonly Seat[]): CabinLayout[] {
  const byCabin = new Map<CabinClass, Seat[]>();
  for (const seat of seats) {
    const list = byCabin.get(seat.cabin) ?? [];
    list.push(seat);
    byCabin.set(seat.cabin, list);
  }
  const cabins = [...byCabin.entries()].map(([cabin, cabinSeats]) => {
    const features = new Map<string, Set<SeatFeature>>();
    for (const seat of cabinSeats) {
      const set = features.get(seat.column) ?? new Set<SeatFeature>();
      for (const f of seat.features) set.add(f);
      features.set(seat.column, set);
    }
    const columns = columnSlots([...features.keys()].sort(), features);
    const rowNumbers = [...new Set(cabinSeats.map((s) => s.row))].sort((a, b) => a - b);
    const bySeat = new Map(cabinSeats.map((s) => [`${s.row}${s.column}`, s]));
    const rows = rowNumbers.map((row) => {
      const rowSeats = columns.map((c) => bySeat.get(`${row}${c.letter}`) ?? null);
      return {
        row,
        exit: rowSeats.some((s) => s?.features.includes('EXIT_ROW')),
        seats: rowSeats,
      };
    });
    const prices = cabinSeats
      .filter((s) => s.status === 'AVAILABLE' && s.price)
      .map((s) => s.price!)
      .sort(priceOrder);
    return { cabin, columns, rows, fromPrice: prices[0] ?? null };
  });
  return cabins.sort((a, b) => (a.rows[0]?.row ?? 0) - (b.rows[0]?.row ?? 0));
}

/** Whether a seat can be chosen now. */
export const isSelectable = (seat: Pick<Seat, 'status'>): boolean => seat.status === 'AVAILABLE';

const STATUS_WORDS: Record<SeatStatus, string> = {
  AVAILABLE: 'available',
  HELD: 'unavailable',
  BOOKED: 'unavailable',
  BLOCKED: 'not for sale',
};

/**
 * What a seat says to everyone, screen readers included: its number first, then its features,
 * its status and its price ("12A, window, available, 129.00 USD"). `selectedFor` is the
 * passenger (1-based) it is chosen for in this browser.
 */
export function seatLabel(seat: Seat, selectedFor?: number): string {
  const features = FEATURE_ORDER.filter((f) => seat.features.includes(f)).map(
    (f) => FEATURE_WORDS[f],
  );
  const status =
    selectedFor !== undefined ? `selected for passenger ${selectedFor}` : STATUS_WORDS[seat.status];
  const price =
    seat.price && (seat.status === 'AVAILABLE' || selectedFor !== undefined)
      ? [money(seat.price)]
      : [];
  return [seat.number, ...features, status, ...price].join(', ');
}

/** A key that moves the focus on the seat map. */
export type Move = 'left' | 'right' | 'up' | 'down' | 'rowStart' | 'rowEnd' | 'first' | 'last';

/** Arrow, Home and End keys (with Ctrl: the whole map) as moves; null for other keys. */
export function moveForKey(key: string, ctrlKey = false): Move | null {
  switch (key) {
    case 'ArrowLeft':
      return 'left';
    case 'ArrowRight':
      return 'right';
    case 'ArrowUp':
      return 'up';
    case 'ArrowDown':
      return 'down';
    case 'Home':
      return ctrlKey ? 'first' : 'rowStart';
    case 'End':
      return ctrlKey ? 'last' : 'rowEnd';
    default:
      return null;
  }
}

/**
 * The seat the focus moves to from `from` (a seat number): left and right along the row, up and
 * down to the same column of the row before or after (across cabins, to the seat at the nearest
 * position when the column is not there). Null at the map's edge.
 */
export function moveFocus(cabins: readonly CabinLayout[], from: string, move: Move): string | null {
  const rows = cabins.flatMap((cabin) =>
    cabin.rows.map((r) => r.seats.filter((s): s is Seat => s !== null)),
  );
  const all = rows.flat();
  if (move === 'first') return all[0]?.number ?? null;
  if (move === 'last') return all.at(-1)?.number ?? null;
  const rowIndex = rows.findIndex((r) => r.some((s) => s.number === from));
  if (rowIndex < 0) return all[0]?.number ?? null;
  const row = rows[rowIndex]!;
  const index = row.findIndex((s) => s.number === from);
  switch (move) {
    case 'left':
      return row[index - 1]?.number ?? null;
    case 'right':
      return row[index + 1]?.number ?? null;
    case 'rowStart':
      return row[0]!.number;
    case 'rowEnd':
      return row.at(-1)!.number;
    case 'up':
    case 'down': {
      const target = rows[rowIndex + (move === 'up' ? -1 : 1)];
      if (!target || target.length === 0) return null;
      const column = row[index]!.column;
      const same = target.find((s) => s.column === column);
      if (same) return same.number;
      // Across cabins of different widths: the seat at the same relative position.
      const position = row.length > 1 ? index / (row.length - 1) : 0;
      return target[Math.round(position * (target.length - 1))]!.number;
    }
  }
}
