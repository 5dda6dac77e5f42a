// The booking write path: confirming and releasing seats in the inventory. Every statement is
// written out so that what protects a seat is visible: the primary key (flight_id,
// seat_number) of flight_seat allows one row, so one booking, per seat, and the CHECK ties
// BOOKED to a booking id. The code below decides what to answer; the database decides what
// can never happen.

import type { QueryResult } from '@mikro-orm/core';
import type { EntityManager } from '@airline/shared';
import { findLayoutSeat } from '../domain/aircraft.ts';
import { closedReason } from '../domain/flight-status.ts';
import type { FlightStatus } from '../domain/cabin.ts';
import { isUuid, toDate } from '../sql.ts';

/** A request to confirm or release seats of one booking on one flight. */
export interface SeatRequest {
  bookingId: string;
  flightId: string;
  seats: string[];
}

/** What a confirmation ended in; on rejection nothing was changed. */
export type ConfirmOutcome =
  { confirmed: true; seats: string[] } | { confirmed: false; seats: string[]; reason: string };

interface FlightLockRow {
  status: FlightStatus;
  departure_time: string | Date;
  arrival_time: string | Date;
  aircraft_code: string;
}

interface SeatOwnerRow {
  seat_number: string;
  status: 'BOOKED' | 'BLOCKED';
  booking_id: string | null;
}

const reject = (seats: string[], reason: string): ConfirmOutcome => ({
  confirmed: false,
  seats,
  reason,
});

/**
 * Marks every seat BOOKED for the booking, or none of them. Seats this booking already has count
 * as confirmed (a redelivered command confirms again); a seat booked by another booking or
 * blocked, an unknown seat, a closed flight or an ended booking rejects the whole request.
 * Runs inside the caller's transaction.
 */
export async function confirmSeats(
  em: EntityManager,
  request: SeatRequest,
  now: Date,
): Promise<ConfirmOutcome> {
  // Answers list the seats in the order asked; the INSERT below claims them in seat order.
  const seats = [...new Set(request.seats)];
  if (!isUuid(request.flightId)) return reject(seats, 'flight not found');
  // seat confirmation 1/4: a shared lock on the flight; confirmations of one flight run side
  // by side, a cancellation (FOR UPDATE) waits for them and they wait for it.
  const [flight] = await em.execute<FlightLockRow[]>(
    `SELECT status, departure_time, arrival_time, aircraft_code
       FROM flight WHERE id = ? FOR SHARE`,
    [request.flightId],
  );
  if (!flight) return reject(seats, 'flight not found');
  const closed = closedReason(
    {
      status: flight.status,
      departureTime: toDate(flight.departure_time),
      arrivalTime: toDate(flight.arrival_time),
    },
    now,
  );
  if (closed) return reject(seats, closed);
  const unknown = seats.filter((s) => !findLayoutSeat(flight.aircraft_code, s));
  if (unknown.length) return reject(unknown, `unknown seat: ${unknown.join(', ')}`);
  const [ended] = await em.execute<{ booking_id: string }[]>(
    'SELECT booking_id FROM ended_booking WHERE booking_id = ?',
    [request.bookingId],
  );
  if (ended) return reject(seats, 'booking ended');

  // seat confirmation 2/4: claim the free seats. A seat someone else is confirming right now
  // makes this statement wait for their commit, then skip the seat; seats are claimed in seat
  // order so two bookings never wait on each other in a cycle.
  const claimed = await em.execute<{ seat_number: string }[]>(
    `INSERT INTO flight_seat (flight_id, aircraft_code, seat_number, status, booking_id, updated_at)
     SELECT ?, ?, seat, 'BOOKED', ?, now()
       FROM unnest(array[?]::text[]) AS seat
      ORDER BY seat
     ON CONFLICT (flight_id, seat_number) DO NOTHING
     RETURNING seat_number`,
    [request.flightId, flight.aircraft_code, request.bookingId, seats],
  );
  const claimedNow = new Set(claimed.map((r) => r.seat_number));
  const contested = seats.filter((s) => !claimedNow.has(s));
  if (!contested.length) return { confirmed: true, seats };

  // seat confirmation 3/4: who has the seats that were not free?
  const owners = await em.execute<SeatOwnerRow[]>(
    `SELECT seat_number, status, booking_id FROM flight_seat
      WHERE flight_id = ? AND seat_number IN (?)`,
    [request.flightId, contested],
  );
  const taken = owners.filter((o) => o.booking_id !== request.bookingId);
  if (!taken.length) return { confirmed: true, seats };

  // seat confirmation 4/4: all or none, so give back what this attempt claimed.
  if (claimedNow.size)
    await em.execute(
      `DELETE FROM flight_seat
        WHERE flight_id = ? AND booking_id = ? AND seat_number IN (?)`,
      [request.flightId, request.bookingId, [...claimedNow]],
    );
  const blocked = taken.filter((o) => o.status === 'BLOCKED').map((o) => o.seat_number);
  const booked = taken.filter((o) => o.status === 'BOOKED').map((o) => o.seat_number);
  const reasons = [
    ...(booked.length ? [`seat taken: ${booked.join(', ')}`] : []),
    ...(blocked.length ? [`seat blocked: ${blocked.join(', ')}`] : []),
  ];
  return reject(
    taken.map((o) => o.seat_number),
    reasons.join('; '),
  );
}

/** Frees the given seats if, and only if, this booking has them; returns how many were freed. */
export async function releaseSeats(em: EntityManager, request: SeatRequest): Promise<number> {
  if (!isUuid(request.flightId) || !request.seats.length) return 0;
  // seat release: only this booking's rows; someone else's seat is never touched.
  const result = await em.execute<QueryResult>(
    `DELETE FROM flight_seat
      WHERE flight_id = ? AND booking_id = ? AND status = 'BOOKED' AND seat_number IN (?)`,
    [request.flightId, request.bookingId, request.seats],
    'run',
  );
  return result.affectedRows;
}

/**
 * Frees every seat a booking has on a flight and remembers that the booking ended, so that a
 * late ConfirmSeats for it is rejected; returns how many seats were freed.
 */
export async function endBooking(
  em: EntityManager,
  booking: { bookingId: string; flightId: string },
): Promise<number> {
  if (!isUuid(booking.flightId)) return 0;
  // booking end: tombstone first, then free its seats, in the caller's transaction.
  await em.execute(
    `INSERT INTO ended_booking (booking_id, flight_id) VALUES (?, ?)
     ON CONFLICT (booking_id) DO NOTHING`,
    [booking.bookingId, booking.flightId],
  );
  const result = await em.execute<QueryResult>(
    `DELETE FROM flight_seat WHERE flight_id = ? AND booking_id = ? AND status = 'BOOKED'`,
    [booking.flightId, booking.bookingId],
    'run',
  );
  return result.affectedRows;
}
