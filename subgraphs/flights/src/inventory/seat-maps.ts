import type { EntityManager, SeatHolds } from '@airline/shared';
import { buildSeatMap, holdCandidates, type SeatMap, type TakenSeat } from '../domain/seat-map.ts';
import type { FlightRecord } from '../flight/flight-record.ts';

interface TakenRow {
  flight_id: string;
  seat_number: string;
  status: 'BOOKED' | 'BLOCKED';
  booking_id: string | null;
}

/** The inventory rows (booked and blocked seats) of many flights in one query. */
export async function selectTakenSeats(
  em: EntityManager,
  flightIds: readonly string[],
): Promise<Map<string, TakenSeat[]>> {
  const byFlight = new Map<string, TakenSeat[]>(flightIds.map((id) => [id, []]));
  if (!flightIds.length) return byFlight;
  // inventory read: plain MVCC read, never waits on a confirmation in progress.
  const rows = await em.execute<TakenRow[]>(
    `SELECT flight_id, seat_number, status, booking_id
       FROM flight_seat
      WHERE flight_id IN (?)`,
    [flightIds],
  );
  for (const row of rows)
    byFlight
      .get(row.flight_id)
      ?.push({ seatNumber: row.seat_number, status: row.status, bookingId: row.booking_id });
  return byFlight;
}

/**
 * Seat maps of many flights at `now`: one SQL query for the inventory and one pipelined Redis
 * round trip for the holds, however many flights.
 */
export async function loadSeatMaps(
  em: EntityManager,
  holds: SeatHolds,
  flights: readonly FlightRecord[],
  now: Date,
): Promise<Map<string, SeatMap>> {
  const taken = await selectTakenSeats(
    em,
    flights.map((f) => f.id),
  );
  const held = await holds.heldSeatsOfFlights(
    flights.map((f) => ({ id: f.id, seats: holdCandidates(f.aircraftCode, taken.get(f.id)!) })),
  );
  return new Map(
    flights.map((f) => [
      f.id,
      buildSeatMap({
        aircraftCode: f.aircraftCode,
        taken: taken.get(f.id)!,
        held: new Set(held.get(f.id)?.keys()),
        baseFares: f.baseFares,
        departureTime: f.departureTime,
        now,
      }),
    ]),
  );
}
