// The pages' live subscriptions. Flights and bookings are normalized in the cache, so their
// updates show wherever they are on screen by themselves; seat map updates carry only changed
// seats and are merged into the cached map (seat-map-updates.ts).
import { useApolloClient, useSubscription } from '@apollo/client/react';
import { useEffect, useRef } from 'react';
import { useSessionContext } from '../auth/session-context.tsx';
import { BookingStatusChangedSubscription } from '../graphql/bookings.ts';
import { FlightStatusChangedSubscription, SeatMapChangedSubscription } from '../graphql/flights.ts';
import { SeatMapVersions, writeSeatChanges } from './seat-map-updates.ts';

/**
 * Follows a flight's seat map once its map is in the cache (`ready`): the first message, the whole
 * map as it is now, then each change. A skipped version re-reads the map (`refetch`).
 */
export function useLiveSeatMap(flightId: string, ready: boolean, refetch: () => unknown): void {
  const client = useApolloClient();
  const { onLiveConnected } = useSessionContext();
  // The latest refetch, without resubscribing when its identity changes.
  const reread = useRef(refetch);
  reread.current = refetch;
  useEffect(() => {
    if (!ready) return;
    const versions = new SeatMapVersions();
    // A new connection resubscribes and starts again with the whole map.
    const stopListening = onLiveConnected(() => versions.reset());
    const subscription = client
      .subscribe({
        query: SeatMapChangedSubscription,
        variables: { flightId },
        fetchPolicy: 'no-cache',
      })
      .subscribe({
        next: ({ data }) => {
          const update = data?.seatMapChanged;
          if (!update) return;
          const step = versions.step(update.version);
          if (step === 'stale') return;
          writeSeatChanges(client.cache, flightId, update.seats);
          if (step === 'gap') void reread.current();
        },
        error: () => void reread.current(),
      });
    return () => {
      subscription.unsubscribe();
      stopListening();
    };
  }, [client, flightId, ready, onLiveConnected]);
}

/** Follows a flight's status, times and gate (written into the cached Flight). */
export function useLiveFlightStatus(flightId: string | undefined): void {
  useSubscription(FlightStatusChangedSubscription, {
    variables: { flightId: flightId ?? '' },
    skip: !flightId,
  });
}

/** Follows a booking's status (owner or agent only: skipped for a guest). */
export function useLiveBookingStatus(bookingId: string, signedIn: boolean): void {
  useSubscription(BookingStatusChangedSubscription, {
    variables: { bookingId },
    skip: !signedIn,
  });
}
