import {
  commandBindings,
  commandQueue,
  dispatch,
  eventBindings,
  type ServiceMessaging,
} from '@airline/shared';
import { bookingEventHandlers, commandHandlers } from './inventory-handlers.ts';

/** The queue of booking events the flights inventory follows. */
export const BOOKING_EVENTS_QUEUE = 'flights.booking-events';

/**
 * Starts the inventory's consumers: `flights.commands` (ConfirmSeats, ReleaseSeats from the
 * booking saga) and `flights.booking-events` (holds taken and ended bookings). Each message is
 * applied once, in the inbox's transaction; search catches up through the projector's notes.
 */
export async function startInventoryConsumers(
  messaging: ServiceMessaging,
  now: () => Date,
): Promise<void> {
  await messaging.consume({
    queue: commandQueue('flights'),
    bindings: commandBindings('flights'),
    handler: dispatch(commandHandlers(now)),
    // Different bookings in parallel; one booking's commands one at a time, in the saga's order.
    concurrency: 4,
    orderingKey: (message) => message.aggregateId,
  });
  await messaging.consume({
    queue: BOOKING_EVENTS_QUEUE,
    bindings: eventBindings(
      'BookingCreated',
      'BookingConfirmed',
      'BookingCancelled',
      'BookingExpired',
    ),
    handler: dispatch(bookingEventHandlers()),
    concurrency: 4,
  });
}
