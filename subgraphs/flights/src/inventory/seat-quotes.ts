import type {
  EntityManager,
  MinorMoney,
  QuotedSeat,
  SeatHolds,
  SeatQuoteRequest,
  SeatQuoteResponse,
} from '@airline/shared';
import { findLayoutSeat } from '../domain/aircraft.ts';
import type { CabinClass, FlightStatus } from '../domain/cabin.ts';
import { effectiveStatus } from '../domain/flight-status.ts';
import { formatInZone } from '../domain/zoned-time.ts';
import { selectFlight } from '../flight/flight-record.ts';
import { isUuid } from '../sql.ts';
import { loadSeatMaps } from './seat-maps.ts';

/** One quoted seat: inventory status (holds are the caller's business) and today's price. */
export type SeatQuote = QuotedSeat & { cabin: CabinClass; price: MinorMoney };

/** The answer to a quote request (`ok`: the shared contract's response, typed more narrowly). */
export type SeatQuoteResult =
  | ({
      kind: 'ok';
      flight: SeatQuoteResponse['flight'] & { status: FlightStatus };
      seats: SeatQuote[];
    } & SeatQuoteResponse)
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
  request: SeatQuoteRequest,
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
