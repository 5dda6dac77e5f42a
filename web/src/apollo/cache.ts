// The Apollo cache, with what it needs to know about the contract's types.
import { InMemoryCache } from '@apollo/client';

/**
 * Flights, bookings, customers and payments have ids and are normalized, so a live update of a
 * booking or a flight shows wherever that booking or flight is on screen. Airports are keyed by
 * their IATA code. Seats, passengers on a booking and money have no identity of their own: they
 * live inside their flight or booking, and a newer list replaces the older one.
 */
export function createCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      Airport: { keyFields: ['code'] },
      Flight: { fields: { seats: { merge: false } } },
      Booking: { fields: { passengers: { merge: false } } },
      Customer: { fields: { bookings: { merge: false }, passengers: { merge: false } } },
      Payment: { fields: { refunds: { merge: false } } },
    },
  });
}
