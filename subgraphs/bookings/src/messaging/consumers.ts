import {
  dispatch,
  eventBindings,
  type HandlerMap,
  type ServiceMessaging,
  type TransactionContext,
} from '@airline/shared';

/** The queue of the events that drive the booking saga. */
export const SAGA_QUEUE = 'bookings.saga';

/**
 * Starts bookings' consumers: `bookings.saga` (payment results, flights' answers to ConfirmSeats,
 * flight cancellations). One message at a time, in the order the broker gives them: a booking's
 * steps follow each other, and each is applied once, in the inbox's transaction.
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
  });
}
