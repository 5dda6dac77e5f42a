import { z } from 'zod';
import {
  dependencyPolicy,
  postInternal,
  type InternalEndpoint,
  type ServiceTokens,
} from '@airline/shared';

const airport = z.object({
  code: z.string(),
  name: z.string(),
  city: z.string(),
  timeZone: z.string(),
});
const flight = z.object({
  id: z.string(),
  number: z.string(),
  status: z.string(),
  gate: z.string().nullable(),
  departureTime: z.string(),
  arrivalTime: z.string(),
  scheduledDepartureTime: z.string(),
  origin: airport,
  destination: airport,
});
const answer = z.object({ flights: z.array(flight) });

/** A flight as messages show it: airport-local times with offsets, and the airports' zones. */
export type FlightDetails = z.output<typeof flight>;
/** An airport as messages name it. */
export type AirportDetails = z.output<typeof airport>;

/** What composing needs from flights. */
export interface FlightDetailsPort {
  /** The current details of each known flight (unknown ids are absent). */
  flightDetails(flightIds: string[]): Promise<FlightDetails[]>;
}

const BATCH = 100;

/** Flights' `POST /internal/flight-details` over HTTP, behind a timeout and a circuit breaker. */
export class FlightsClient implements FlightDetailsPort {
  readonly #endpoint: InternalEndpoint;

  constructor(baseUrl: string, serviceTokens: ServiceTokens) {
    this.#endpoint = {
      url: new URL('/internal/flight-details', baseUrl).toString(),
      audience: 'flights',
      serviceTokens,
      policy: dependencyPolicy({ timeoutMs: 5000, failuresToOpen: 5, halfOpenAfterMs: 5000 }),
    };
  }

  async flightDetails(flightIds: string[]): Promise<FlightDetails[]> {
    const found: FlightDetails[] = [];
    for (let i = 0; i < flightIds.length; i += BATCH) {
      const body = await postInternal<unknown>(
        this.#endpoint,
        { flightIds: flightIds.slice(i, i + BATCH) },
        null,
      );
      found.push(...answer.parse(body).flights);
    }
    return found;
  }
}
