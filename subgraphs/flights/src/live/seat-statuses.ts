import type { EntityManager, SeatHolds } from '@airline/shared';
import { SeatStatus } from '../domain/cabin.ts';

interface SeatRow {
  seat_number: string;
  status: 'BOOKED' | 'BLOCKED';
  booking_id: string | null;
}

/**
 * The status of some seats of a flight right now, with the seat map's precedence (inventory
 * row > hold > available). `endedBooking` is a booking that has just ended: its rows and holds
 * count as gone even if the inventory's own consumer has not removed them yet, so the status
 * published for its seats is the one they are about to have.
 */
export async function currentSeatStatuses(
  em: EntityManager,
  holds: SeatHolds,
  flightId: string,
  seats: readonly string[],
  endedBooking?: string,
): Promise<Map<string, SeatStatus>> {
  if (!seats.length) return new Map();
  // inventory read of a few seats by the live consumer (committed rows only).
  const rows = await em.execute<SeatRow[]>(
    `SELECT seat_number, status, booking_id
       FROM flight_seat
      WHERE flight_id = ? AND seat_number IN (?)`,
    [flightId, [...seats]],
  );
  const byNumber = new Map(
    rows
      .filter((r) => !endedBooking || r.booking_id !== endedBooking)
      .map((r) => [r.seat_number, r]),
  );
  const held = await holds.heldSeats(flightId, [...seats]);
  return new Map(
    seats.map((seat) => {
      const row = byNumber.get(seat);
      if (row) return [seat, row.status === 'BLOCKED' ? SeatStatus.BLOCKED : SeatStatus.BOOKED];
      const holder = held.get(seat);
      return [seat, holder && holder !== endedBooking ? SeatStatus.HELD : SeatStatus.AVAILABLE];
    }),
  );
}
