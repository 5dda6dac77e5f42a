import { Counter, Gauge, Histogram, type Metric } from 'prom-client';
import { metricsRegistry } from './registry.ts';

// Every metric is created once per process, on first use: tests start all services in one
// process, and prom-client refuses a second metric of the same name.
function once<T extends Metric>(name: string, create: () => T): T {
  return (metricsRegistry.getSingleMetric(name) as T | undefined) ?? create();
}

/** GraphQL requests by service, operation name and outcome (`ok` or `error`): the R and E of RED. */
export const graphqlRequests = (): Counter<'service' | 'operation' | 'outcome'> =>
  once(
    'graphql_requests_total',
    () =>
      new Counter({
        name: 'graphql_requests_total',
        help: 'GraphQL operations handled, by service, operation name and outcome',
        labelNames: ['service', 'operation', 'outcome'],
      }),
  );

/** GraphQL request duration by service and operation name: the D of RED. */
export const graphqlDuration = (): Histogram<'service' | 'operation'> =>
  once(
    'graphql_request_duration_seconds',
    () =>
      new Histogram({
        name: 'graphql_request_duration_seconds',
        help: 'GraphQL operation duration, by service and operation name',
        labelNames: ['service', 'operation'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      }),
  );

/** GraphQL errors by service, operation and `extensions.code`. */
export const graphqlErrors = (): Counter<'service' | 'operation' | 'code'> =>
  once(
    'graphql_errors_total',
    () =>
      new Counter({
        name: 'graphql_errors_total',
        help: 'GraphQL errors returned, by service, operation name and extensions.code',
        labelNames: ['service', 'operation', 'code'],
      }),
  );

/** How long the gateway waited for each subgraph fetch, by subgraph and outcome. */
export const subgraphFetchDuration = (): Histogram<'subgraph' | 'outcome'> =>
  once(
    'gateway_subgraph_fetch_duration_seconds',
    () =>
      new Histogram({
        name: 'gateway_subgraph_fetch_duration_seconds',
        help: 'Duration of the gateway fetches to each subgraph, by outcome (ok, error, unavailable)',
        labelNames: ['subgraph', 'outcome'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
      }),
  );

/** Seat holds by result (`created` or `refused` with the reason). */
export const seatHolds = (): Counter<'result'> =>
  once(
    'bookings_seat_holds_total',
    () =>
      new Counter({
        name: 'bookings_seat_holds_total',
        help: 'Seat hold attempts, by result (created, refused)',
        labelNames: ['result'],
      }),
  );

/** Booking sagas that reached a final state, by that state. */
export const sagaOutcomes = (): Counter<'state'> =>
  once(
    'bookings_saga_outcomes_total',
    () =>
      new Counter({
        name: 'bookings_saga_outcomes_total',
        help: 'Booking sagas by the state they ended in (CONFIRMED, HELD after a failure, PAYMENT_FAILED, CANCELLED)',
        labelNames: ['state'],
      }),
  );

/** Payment attempts by result (succeeded, declined, unavailable, refunded...). */
export const paymentResults = (): Counter<'result'> =>
  once(
    'payments_results_total',
    () =>
      new Counter({
        name: 'payments_results_total',
        help: 'Payment attempts and refunds, by result',
        labelNames: ['result'],
      }),
  );

/** A circuit breaker's state: 0 closed, 1 half-open, 2 open. */
export const breakerState = (): Gauge<'breaker'> =>
  once(
    'circuit_breaker_state',
    () =>
      new Gauge({
        name: 'circuit_breaker_state',
        help: 'Circuit breaker state by breaker: 0 closed, 1 half-open, 2 open',
        labelNames: ['breaker'],
      }),
  );

/** Age of the oldest unpublished outbox row, in seconds, per service. */
export const outboxLag = (): Gauge<'service'> =>
  once(
    'outbox_lag_seconds',
    () =>
      new Gauge({
        name: 'outbox_lag_seconds',
        help: 'Age of the oldest outbox row not yet published to RabbitMQ, in seconds (0 when empty)',
        labelNames: ['service'],
      }),
  );

/** Messages a consumer received again after a failure (RabbitMQ redelivered or retried them). */
export const consumerRedeliveries = (): Counter<'queue'> =>
  once(
    'messaging_redeliveries_total',
    () =>
      new Counter({
        name: 'messaging_redeliveries_total',
        help: 'Messages a consumer got again (redelivered or retried), by queue',
        labelNames: ['queue'],
      }),
  );

/** Messages consumed, by queue and result (`ack`, `retry`, `dead-letter`). */
export const consumedMessages = (): Counter<'queue' | 'result'> =>
  once(
    'messaging_consumed_total',
    () =>
      new Counter({
        name: 'messaging_consumed_total',
        help: 'Messages consumed, by queue and result',
        labelNames: ['queue', 'result'],
      }),
  );

/** Open WebSocket connections, by service. */
export const openWebSockets = (): Gauge<'service'> =>
  once(
    'websocket_connections_open',
    () =>
      new Gauge({
        name: 'websocket_connections_open',
        help: 'Open graphql-ws WebSocket connections, by service',
        labelNames: ['service'],
      }),
  );

/** Active GraphQL subscriptions, by service. */
export const activeSubscriptions = (): Gauge<'service'> =>
  once(
    'graphql_subscriptions_active',
    () =>
      new Gauge({
        name: 'graphql_subscriptions_active',
        help: 'GraphQL subscriptions currently running, by service',
        labelNames: ['service'],
      }),
  );
