import {
  dispatch,
  eventBindings,
  type HandlerMap,
  type Message,
  type ServiceMessaging,
  type TransactionContext,
} from '@airline/shared';

/** The queue of the events that drive the booking saga. */
export const SAGA_QUEUE = 'bookings.saga';

/**
 * Saga messages handled at once. Each holds one of the service's pooled database connections
 * (10) while it runs, so this leaves room for the API and live publishing.
 */
export const SAGA_CONCURRENCY = 6;

/**
 * Whose messages must be applied one after another: the booking a payment result or a seats
 * answer is about, the flight of a flight cancellation. The booking row lock already makes each
 * step atomic; the key also keeps one booking's steps in the order the broker gave them.
 */
export function sagaOrderingKey(message: Message): string | undefined {
  const payload = message.payload as Record<string, unknown>;
  if (typeof payload.bookingId === 'string') return `booking:${payload.bookingId}`;
  if (typeof payload.flightId === 'string') return `flight:${payload.flightId}`;
  return undefined;
}

/**
 * Starts bookings' consumers: `bookings.saga` (payment results, flights' answers to ConfirmSeats,
 * flight cancellations). Different bookings are handled side by side; one booking's messages one
 * at a time, in the order the broker gives them, and each is applied once, in the inbox's
 * transaction with the booking row locked.
 */
export async function startSagaConsumers(
  messaging: ServiceMessaging,
  saga: HandlerMap<TransactionContext>,
): Promise<void> {
  await messaging.consume({
    queue: SAGA_QUEUE,
    bindings: eventBindings(
      'PaymentCompleted',
      'PaymentFailed',
      'SeatsConfirmed',
      'SeatsRejected',
      'FlightCancelled',
    ),
    handler: dispatch(saga),
    concurrency: SAGA_CONCURRENCY,
    prefetch: SAGA_CONCURRENCY * 4,
    orderingKey: sagaOrderingKey,
  });
}
