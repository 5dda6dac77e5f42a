import type { Redis } from 'ioredis';
import { EventQueue } from './event-queue.ts';
import type { LiveSubscriber } from './live-subscriber.ts';
import { liveVersionKey, type LiveMessage, type LiveTopic } from './topics.ts';

/** How many messages one subscription may have waiting before they are merged. */
export const LIVE_STREAM_CAPACITY = 64;

/** Folds two live messages of one entity: the newer version, payload entries merged. */
export function mergeLiveMessages(older: LiveMessage, newer: LiveMessage): LiveMessage {
  return { ...newer, payload: { ...older.payload, ...newer.payload } };
}

/** The version an entity's topic is at (0: nothing published yet). */
export async function currentLiveVersion(
  redis: Redis,
  topic: LiveTopic,
  entityId: string,
): Promise<number> {
  return Number((await redis.get(liveVersionKey(topic, entityId))) ?? 0);
}

/** Options of `liveStream`. */
export interface LiveStreamOptions {
  /**
   * The entity's whole state now, sent first: read the version (`currentLiveVersion`) before
   * the state, so the state is at least as new as the version it claims.
   */
  snapshot?: () => Promise<LiveMessage>;
  /** Whether a message is the entity's last (a booking's terminal status): the stream then ends. */
  last?: (message: LiveMessage) => boolean;
}

/**
 * The messages of one entity's topic as an async iterator, what a `Subscription` field's
 * `subscribe` returns. With `snapshot`, the first message is the whole state, taken after the
 * channel is subscribed, so nothing that happens in between is missed; after it, only messages
 * newer than the last one delivered pass (the snapshot covers older ones). The stream
 * ends after a `last` message or when the subscriber goes away, which also drops its listener.
 */
export async function liveStream(
  subscriber: LiveSubscriber,
  topic: LiveTopic,
  entityId: string,
  options: LiveStreamOptions = {},
): Promise<EventQueue<LiveMessage>> {
  const last = options.last ?? (() => false);
  let stop = () => {};
  const queue = new EventQueue<LiveMessage>({
    capacity: LIVE_STREAM_CAPACITY,
    merge: mergeLiveMessages,
    onClose: () => stop(),
  });
  // Versions only go forward: a message the snapshot covers, or a late duplicate, is dropped.
  let version = 0;
  const deliver = (message: LiveMessage) => {
    if (message.version <= version) return;
    version = message.version;
    queue.push(message);
    if (last(message)) queue.end();
  };
  let early: LiveMessage[] | undefined = options.snapshot ? [] : undefined;
  stop = await subscriber.listen(topic, entityId, (message) =>
    early ? early.push(message) : deliver(message),
  );
  if (options.snapshot) {
    try {
      const snapshot = await options.snapshot();
      const waiting = early!;
      early = undefined;
      version = snapshot.version - 1;
      deliver(snapshot);
      for (const message of waiting) deliver(message);
    } catch (err) {
      stop();
      throw err;
    }
  }
  if (queue.closed) stop();
  return queue;
}
