import { z } from 'zod';
import type { EntityManager, MinorMoney, SeatHolds } from '@airline/shared';
import { findLayoutSeat } from '../domain/aircraft.ts';
import type { CabinClass, FlightStatus } from '../domain/cabin.ts';
import { effectiveStatus } from '../domain/flight-status.ts';
import { formatInZone } from '../domain/zoned-time.ts';
import { selectFlight } from '../flight/flight-record.ts';
import { isUuid } from '../sql.ts';
import { loadSeatMaps } from './seat-maps.ts';

/** The body of `POST /internal/seat-quotes`. */
export const seatQuoteRequest = z.object({
  flightId: z.string().max(64),
  seats: z.array(z.string().max(8)).min(1).max(50),
});

/** One quoted seat: inventory status (holds are the caller's business) and today's price. */
export interface SeatQuote {
  number: string;
  cabin: CabinClass;
  status: 'AVAILABLE' | 'BOOKED' | 'BLOCKED';
  price: MinorMoney;
}

/** The answer to a quote request. */
export type SeatQuoteResult =
  | {
      kind: 'ok';
      flight: {
        id: string;
        number: string;
        status: FlightStatus;
        origin: string;
        destination: string;
        departureTime: string;
      };
      seats: SeatQuote[];
    }
  | { kind: 'not-found' }
  | { kind: 'unknown-seats'; seats: string[] };

/**
 * Quotes seats for the booking saga, on the write side's pool (a booking must not queue behind
 * search traffic): the price is exactly what the seat map shows at this moment, load factor
 * with booked and held seats included; the status is the inventory's only, since bookings
 * checks holds itself when it takes them.
 */
export async function quoteSeats(
  em: EntityManager,
  holds: SeatHolds,
  request: z.output<typeof seatQuoteRequest>,
  now: Date,
): Promise<SeatQuoteResult> {
  if (!isUuid(request.flightId)) return { kind: 'not-found' };
  const flight = await selectFlight(em, request.flightId);
  if (!flight) return { kind: 'not-found' };
  const unknown = request.seats.filter((s) => !findLayoutSeat(flight.aircraftCode, s));
  if (unknown.length) return { kind: 'unknown-seats', seats: unknown };

  const map = (await loadSeatMaps(em, holds, [flight], now)).get(flight.id)!;
  const byNumber = new Map(map.seats.map((s) => [s.number, s]));
  return {
    kind: 'ok',
    flight: {
      id: flight.id,
      number: flight.number,
      status: effectiveStatus(flight, now),
      origin: flight.origin,
      destination: flight.destination,
      departureTime: formatInZone(flight.departureTime, flight.originTimeZone),
    },
    seats: request.seats.map((number) => {
      const seat = byNumber.get(number)!;
      if (seat.priceMinor === null)
        throw new Error(`route ${flight.routeId} files no ${seat.cabin} fare`);
      return {
        number,
        cabin: seat.cabin,
        // HELD comes from Redis; here only what PostgreSQL says counts.
        status: seat.status === 'HELD' ? 'AVAILABLE' : seat.status,
        price: { amountMinor: seat.priceMinor, currency: map.currency },
      };
    }),
  };
}
