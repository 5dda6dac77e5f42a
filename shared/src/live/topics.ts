/**
 * Live topics: what a subgraph publishes on Redis pub/sub for its subscriptions, one channel per
 * entity. ioredis's `keyPrefix` applies to keys but not to channel names, so channels carry the
 * configured prefix explicitly (tests and deployments sharing a Redis never hear each other).
 */
export const LiveTopic = {
  /** Seats of one flight changed status (`seatMapChanged`). */
  SeatMap: 'seat-map',
  /** One flight was delayed, moved to another gate or cancelled (`flightStatusChanged`). */
  FlightStatus: 'flight-status',
  /** One booking changed status (`bookingStatusChanged`). */
  BookingStatus: 'booking-status',
} as const;
/** One of the live topics. */
export type LiveTopic = (typeof LiveTopic)[keyof typeof LiveTopic];

/** The pub/sub channel of one entity's topic, with the deployment's Redis prefix. */
export const liveChannel = (redisPrefix: string, topic: LiveTopic, entityId: string): string =>
  `${redisPrefix}live:${topic}:${entityId}`;

/** The key (ioredis adds the prefix) of an entity's version counter for a topic. */
export const liveVersionKey = (topic: LiveTopic, entityId: string): string =>
  `live:${topic}:${entityId}:version`;

/** The key (ioredis adds the prefix) of the last published state of an entity's keyed topic. */
export const liveStateKey = (topic: LiveTopic, entityId: string): string =>
  `live:${topic}:${entityId}:state`;

/** What every live message carries: the entity's version (monotonic, +1 per message) and when. */
export interface LiveMessage<P = Record<string, unknown>> {
  version: number;
  occurredAt: string;
  payload: P;
}
