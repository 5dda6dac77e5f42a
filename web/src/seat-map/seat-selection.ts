// Which seat each passenger of the booking being made has chosen, and whose turn it is to choose.
import { isSelectable, type Seat } from './seat-layout.ts';

/** The seat of each passenger (by position; null: none yet) and the passenger choosing now. */
export interface SeatSelection {
  seats: (string | null)[];
  active: number;
}

/** A selection for `passengers` travellers with no seat chosen yet. */
export function emptySelection(passengers: number): SeatSelection {
  return { seats: Array.from({ length: passengers }, () => null), active: 0 };
}

/** The same selection for another number of passengers (seats of those who stay are kept). */
export function resizeSelection(selection: SeatSelection, passengers: number): SeatSelection {
  const seats = Array.from({ length: passengers }, (_, i) => selection.seats[i] ?? null);
  return { seats, active: Math.min(selection.active, passengers - 1) };
}

/** The passenger (0-based) a seat is chosen for, if any. */
export function passengerOf(selection: SeatSelection, seatNumber: string): number | undefined {
  const index = selection.seats.indexOf(seatNumber);
  return index < 0 ? undefined : index;
}

/**
 * A seat pressed on the map: a seat chosen for someone is given up (and it is that passenger's
 * turn again); an available one goes to the passenger whose turn it is, and the turn passes to
 * the next passenger still without a seat. An unavailable seat changes nothing.
 */
export function toggleSeat(selection: SeatSelection, seat: Seat): SeatSelection {
  const holder = passengerOf(selection, seat.number);
  if (holder !== undefined) {
    const seats = selection.seats.map((s, i) => (i === holder ? null : s));
    return { seats, active: holder };
  }
  if (!isSelectable(seat)) return selection;
  const seats = selection.seats.map((s, i) => (i === selection.active ? seat.number : s));
  const waiting = seats.findIndex((s, i) => s === null && i !== selection.active);
  return { seats, active: waiting < 0 ? selection.active : waiting };
}

/**
 * The selection without the seats that are no longer available on the map (someone else took
 * them), and which seats those were, so the page can say so.
 */
export function dropUnavailable(
  selection: SeatSelection,
  seats: readonly Pick<Seat, 'number' | 'status'>[],
): { selection: SeatSelection; lost: string[] } {
  const status = new Map(seats.map((s) => [s.number, s.status]));
  const lost = selection.seats.filter(
    (s): s is string => s !== null && status.has(s) && status.get(s) !== 'AVAILABLE',
  );
  if (lost.length === 0) return { selection, lost };
  const kept = selection.seats.map((s) => (s !== null && lost.includes(s) ? null : s));
  const first = kept.indexOf(null);
  return { selection: { seats: kept, active: first < 0 ? selection.active : first }, lost };
}

/** Whether every passenger has a seat. */
export const isComplete = (selection: SeatSelection): boolean =>
  selection.seats.every((s) => s !== null);
