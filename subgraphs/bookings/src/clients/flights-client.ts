import {
  dependencyPolicy,
  internalClient,
  seatQuotes,
  type AuthUser,
  type SeatQuoteResponse,
  type ServiceTokens,
} from '@airline/shared';

/** Flights' answer to a seat quote request (the shared contract's response). */
export type FlightQuote = SeatQuoteResponse;

/** What bookings needs from flights when holding seats. */
export interface FlightsPort {
  /** Prices and inventory status of the requested seats, in the order asked, for `user`. */
  quoteSeats(flightId: string, seats: string[], user: AuthUser): Promise<FlightQuote>;
}

/** Flights' internal seat-quote endpoint over HTTP, behind a timeout and a circuit breaker. */
export class FlightsClient implements FlightsPort {
  readonly #quote: ReturnType<typeof internalClient<typeof seatQuotes>>;

  constructor(baseUrl: string, serviceTokens: ServiceTokens) {
    this.#quote = internalClient(seatQuotes, {
      baseUrl,
      serviceTokens,
      policy: dependencyPolicy({ timeoutMs: 3000, failuresToOpen: 5, halfOpenAfterMs: 5000 }),
    });
  }

  quoteSeats(flightId: string, seats: string[], user: AuthUser): Promise<FlightQuote> {
    return this.#quote({ flightId, seats }, user);
  }
}
