import type { BaseContext } from '@airline/shared';
import type { Bookings } from './booking/bookings.ts';
import type { BookingLoaders } from './booking/booking-loaders.ts';
import type { BookingLive } from './live/booking-live.ts';

/** What the bookings resolvers get per request. */
export interface BookingsContext extends BaseContext {
  bookings: Bookings;
  loaders: BookingLoaders;
  /** Live streams for the Subscription field. */
  live: BookingLive;
}

/** A Customer as bookings knows it: only the key, the customers subgraph owns the rest. */
export interface CustomerRef {
  id: string;
}
