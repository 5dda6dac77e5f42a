import { dependencyPolicy, postInternal } from './internal-http.ts';

/** A seat as flights' inventory sees it, with the price a hold would lock in. */
export interface SeatQuote {
  number: string;
  cabin: string;
  status: 'AVAILABLE' | 'BOOKED' | 'BLOCKED';
  price: { amountMinor: number; currency: string };
}

/** Flights' answer to a seat quote request. */
export interface FlightQuote {
  flight: {
    id: string;
    number: string;
    status: string;
    origin: string;
    destination: string;
    departureTime: string;
  };
  seats: SeatQuote[];
}

/** What bookings needs from flights when holding seats. */
export interface FlightsPort {
  quoteSeats(
    flightId: string,
    seats: string[],
    authorization: string | undefined,
  ): Promise<FlightQuote>;
}

/** Flights' internal seat-quote endpoint over HTTP, behind a timeout and a circuit breaker. */
export class FlightsClient implements FlightsPort {
  readonly #url: string;
  readonly #policy = dependencyPolicy({
    timeoutMs: 3000,
    failuresToOpen: 5,
    halfOpenAfterMs: 5000,
  });

  constructor(baseUrl: string) {
    this.#url = new URL('/internal/seat-quotes', baseUrl).toString();
  }

  /** Prices and inventory status of the requested seats, in the order asked. */
  quoteSeats(
    flightId: string,
    seats: string[],
    authorization: string | undefined,
  ): Promise<FlightQuote> {
    return postInternal<FlightQuote>(this.#policy, this.#url, { flightId, seats }, authorization);
  }
}
