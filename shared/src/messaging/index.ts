// The messaging plumbing of every service: event catalogue, RabbitMQ topology, transactional
// outbox + relay, and idempotent consumers with retries and a dead-letter queue.
//
// Wiring a service (bookings as the example):
//   migrations: [Migration20261125000000_outbox, ...own]    entities: [OutboxMessage, ...own]
//   const amqp = await connectAmqp(config, logger, 'bookings');
//   const relay = new OutboxRelay({ databaseUrl: `${config.postgresUrl}/${databaseName(config, 'bookings')}`, amqp, logger });
//   await relay.start();
//   await em.transactional(async (em) => { booking.status = 'CONFIRMED'; enqueue(em, newEvent('BookingConfirmed', booking.id, {...})); });
//   await startConsumer({ amqp, logger, queue: 'bookings.payment-events', bindings: eventBindings('PaymentCompleted', 'PaymentFailed'),
//     inbox: new PostgresInbox(orm), handler: dispatch({ PaymentCompleted: async (event, { em }) => {...} }) });
//   shutdown: consumer.stop(), relay.stop(), amqp.close()

/** The event/command catalogue: exchanges, payload types, envelopes and their builders. */
export {
  EXCHANGES,
  COMMAND_EXCHANGE,
  ALL_EXCHANGES,
  EVENT_CATALOGUE,
  COMMAND_CATALOGUE,
  newEvent,
  newCommand,
  isEventType,
  isCommandType,
  routeOf,
} from './events.ts';
/** Types of the catalogue: envelopes, payload maps, names and money on the wire. */
export type {
  ExchangeName,
  MinorMoney,
  PassengerSeat,
  CancellationCause,
  EventPayloads,
  EventType,
  CommandPayloads,
  CommandType,
  Envelope,
  EventEnvelope,
  CommandEnvelope,
  Message,
  MessageType,
} from './events.ts';

/** The process's RabbitMQ connection (reconnecting, prefixed names) and confirmed publishing. */
export { AmqpConnection, AmqpUnavailableError, connectAmqp, publishConfirmed } from './amqp.ts';
/** Options and listener types of the RabbitMQ connection. */
export type { AmqpConnectionOptions, ConnectedListener } from './amqp.ts';

/** Exchanges, consumer queues, retry levels and dead-letter queues on the broker. */
export {
  DEFAULT_RETRY,
  DEFAULT_RETRY_WINDOW_MS,
  cappedRetryPolicy,
  deadLetterQueue,
  retryDelays,
  queueTopology,
  eventBindings,
  commandBindings,
  bindingsFor,
  commandQueue,
  declareExchanges,
  declareConsumerQueues,
} from './topology.ts';
/** Types of the broker topology. */
export type { RetryPolicy, Binding, QueueTopology } from './topology.ts';

/** The transactional outbox: its entity, its migration (with the inbox table) and `enqueue`. */
export {
  OutboxMessage,
  Migration20261125000000_outbox,
  OUTBOX_NOTIFY_CHANNEL,
  enqueue,
} from './outbox.ts';
/** Headers an outbox row is published with. */
export type { OutboxHeaders } from './outbox.ts';

/** One replica at a time for a periodic job (an advisory lock on a connection of its own). */
export { SingletonLock, ADVISORY_LOCKS } from './singleton-lock.ts';

/** The relay that publishes committed outbox rows, one active per database. */
export { OutboxRelay, OUTBOX_RELAY_LOCK } from './relay.ts';
/** Options of the outbox relay. */
export type { OutboxRelayOptions } from './relay.ts';

/** Inboxes that make consumers idempotent: PostgreSQL (transactional) and Redis (no database). */
export { PostgresInbox, RedisInbox, InboxBusyError } from './inbox.ts';
/** Types of the inboxes. */
export type { Inbox, TransactionContext, RedisInboxOptions } from './inbox.ts';

/** Consumers: start one, route by message type, and mark a failure as not worth retrying. */
export { startConsumer, dispatch } from './consumer.ts';
/** Which failures are retried (transient, unexpected) and which are dead-lettered at once. */
export { PermanentError, TransientError, failureKind, type FailureKind } from './failures.ts';
/** The shared dead-letter queue: count, read and replay (the `npm run dlq` operator command). */
export { DeadLetterQueue, type DeadLetter, type ReplayReport } from './dead-letters.ts';
/** The dead-letter count on `/metrics`, for alerting. */
export { watchDeadLetters, metricsText } from './dead-letter-metrics.ts';
/** Types of consumers and handlers. */
export type {
  DeadLetterReason,
  Consumer,
  ConsumerOptions,
  Delivery,
  HandlerContext,
  HandlerMap,
  MessageHandler,
} from './consumer.ts';
/** A service's messaging in one call: connection, outbox relay and inbox-backed consumers. */
export { startServiceMessaging, type ServiceMessaging } from './service-messaging.ts';
