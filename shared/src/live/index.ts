// Live updates: Redis pub/sub per entity (publisher and subscriber), bounded event queues and
// graphql-ws serving of a subgraph's Subscription fields to the gateway.

/** Topic names, channel and key naming, and the message every topic carries. */
export {
  LiveTopic,
  liveChannel,
  liveVersionKey,
  liveStateKey,
  type LiveMessage,
} from './topics.ts';
/** Publishes versioned messages (and keyed-state changes) on per-entity channels. */
export { LivePublisher } from './live-publisher.ts';
/** One subscriber connection per process, one counted SUBSCRIBE per channel. */
export { LiveSubscriber, type LiveListener } from './live-subscriber.ts';
/** A bounded push-to-pull queue that merges events once its reader falls behind. */
export { EventQueue, type EventQueueOptions } from './event-queue.ts';
/** One entity's live messages as the async iterator a `subscribe` resolver returns. */
export {
  liveStream,
  mergeLiveMessages,
  currentLiveVersion,
  LIVE_STREAM_CAPACITY,
  type LiveStreamOptions,
} from './live-stream.ts';
/** graphql-js subscription execution with a fresh context per event. */
export { subscribePerEvent } from './per-event-execution.ts';
/** The names the gateway and subgraphs agree on for upstream subscriptions. */
export { UpstreamParam, UpstreamExtension, type UpstreamIdentity } from './upstream-protocol.ts';
/** graphql-ws serving of a subgraph's subscriptions, to the gateway only. */
export {
  serveSubscriptions,
  type SubgraphSubscriptionOptions,
  type SubscriberIdentity,
} from './subgraph-ws.ts';
