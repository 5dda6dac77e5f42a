import type { BaseContext } from '@airline/shared';
import type { FlightLoaders } from './flight/flight-loaders.ts';
import type { FlightOperations } from './flight/flight-operations.ts';
import type { FlightSearch } from './search/flight-search.ts';
import type { FlightLive } from './live/flight-live.ts';

/** What the flights resolvers get per request. */
export interface FlightsContext extends BaseContext {
  /** Batch loaders on the read pool (search and seat maps never use the write pool). */
  loaders: FlightLoaders;
  search: FlightSearch;
  /** Agent changes to the schedule, on the request's write-side EntityManager (`em`). */
  operations: FlightOperations;
  /** One clock reading per request: every price and status of a response agrees. */
  now: Date;
  /** Live streams for the Subscription fields. */
  live: FlightLive;
}
