import { z } from 'zod';
import { internalContract, type ResponseOf, type ValidRequestOf } from './internal-contract.ts';

const minorMoney = z.object({
  amountMinor: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/),
});

/**
 * `POST /internal/seat-quotes` on flights, called by bookings before it holds seats: the flight
 * and, in the order asked, each seat's cabin, inventory status (holds are bookings' business) and
 * today's price in minor units. 404 for an unknown flight; 400 naming unknown seats (`seats`).
 */
export const seatQuotes = internalContract({
  path: '/internal/seat-quotes',
  callee: 'flights',
  callers: ['bookings'],
  request: z.object({
    flightId: z.string().max(64),
    seats: z.array(z.string().max(8)).min(1).max(50),
  }),
  response: z.object({
    flight: z.object({
      id: z.string(),
      number: z.string(),
      status: z.string(),
      origin: z.string(),
      destination: z.string(),
      departureTime: z.string(),
    }),
    seats: z.array(
      z.object({
        number: z.string(),
        cabin: z.string(),
        status: z.enum(['AVAILABLE', 'BOOKED', 'BLOCKED']),
        price: minorMoney,
      }),
    ),
  }),
});
/** A seat quote request as flights reads it. */
export type SeatQuoteRequest = ValidRequestOf<typeof seatQuotes>;
/** Flights' answer to a seat quote request. */
export type SeatQuoteResponse = ResponseOf<typeof seatQuotes>;
/** One quoted seat. */
export type QuotedSeat = SeatQuoteResponse['seats'][number];
