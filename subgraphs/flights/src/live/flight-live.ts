import {
  LiveTopic,
  currentLiveVersion,
  liveStream,
  type LiveMessage,
  type LiveSubscriber,
  type Redis,
} from '@airline/shared';
import { FlightChange } from './live-publishing.ts';

/** A seat map message as the `SeatMapUpdate` resolvers see it. */
export interface SeatMapEvent {
  flightId: string;
  message: LiveMessage;
}

/** The flights subgraph's live streams, what its `Subscription` resolvers subscribe to. */
export class FlightLive {
  readonly #subscriber: LiveSubscriber;
  readonly #redis: Redis;

  /** `redis` is the service's keyed connection (versions are read from it). */
  constructor(subscriber: LiveSubscriber, redis: Redis) {
    this.#subscriber = subscriber;
    this.#redis = redis;
  }

  /**
   * Seat status changes of a flight (payload: seat number -> status), starting with the whole
   * map as `statuses` reads it now.
   */
  seatMap(
    flightId: string,
    statuses: () => Promise<Record<string, string>>,
  ): Promise<AsyncIterableIterator<LiveMessage>> {
    return liveStream(this.#subscriber, LiveTopic.SeatMap, flightId, {
      snapshot: async () => ({
        version: await currentLiveVersion(this.#redis, LiveTopic.SeatMap, flightId),
        occurredAt: new Date().toISOString(),
        payload: await statuses(),
      }),
    });
  }

  /** Status messages of a flight, starting with one for its state now; ends after cancellation. */
  flightStatus(flightId: string, cancelled: boolean): Promise<AsyncIterableIterator<LiveMessage>> {
    return liveStream(this.#subscriber, LiveTopic.FlightStatus, flightId, {
      snapshot: async () => ({
        version: await currentLiveVersion(this.#redis, LiveTopic.FlightStatus, flightId),
        occurredAt: new Date().toISOString(),
        payload: cancelled ? { change: FlightChange.CANCELLED } : {},
      }),
      last: (message) => message.payload.change === FlightChange.CANCELLED,
    });
  }
}
