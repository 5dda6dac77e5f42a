import {
  commandBindings,
  commandQueue,
  dispatch,
  eventBindings,
  type ServiceMessaging,
} from '@airline/shared';
import type { MessageTemplates } from '../composing/templates.ts';
import {
  bookingEventHandlers,
  commandHandlers,
  flightEventHandlers,
  paymentEventHandlers,
  type HandlerSettings,
} from './event-handlers.ts';

/** The queues notifications consumes, one per publishing domain (DESIGN §3). */
export const QUEUES = {
  bookingEvents: 'notifications.booking-events',
  paymentEvents: 'notifications.payment-events',
  flightEvents: 'notifications.flight-events',
  commands: commandQueue('notifications'),
} as const;

/**
 * Starts the consumers: booking, payment and flight events, and SendNotification on the
 * `notification.requests` exchange. Each message is applied once, in the inbox's transaction;
 * it records what to tell whom, and the composer takes it from there after commit, so a slow
 * channel or dependency never holds a message here (nor a booking anywhere).
 */
export async function startConsumers(
  messaging: ServiceMessaging,
  settings: HandlerSettings,
  templates: MessageTemplates,
): Promise<void> {
  await messaging.consume({
    queue: QUEUES.bookingEvents,
    bindings: eventBindings(
      'BookingCreated',
      'BookingConfirmed',
      'BookingCancelled',
      'BookingExpired',
    ),
    handler: dispatch(bookingEventHandlers(settings)),
    concurrency: 4,
  });
  await messaging.consume({
    queue: QUEUES.paymentEvents,
    bindings: eventBindings('PaymentFailed', 'PaymentRefunded'),
    handler: dispatch(paymentEventHandlers(settings)),
    concurrency: 4,
  });
  await messaging.consume({
    queue: QUEUES.flightEvents,
    bindings: eventBindings('FlightDelayed', 'GateChanged', 'FlightCancelled'),
    handler: dispatch(flightEventHandlers(settings)),
    // One flight's changes in order: a delay then a gate change are told in that order.
    concurrency: 1,
  });
  await messaging.consume({
    queue: QUEUES.commands,
    bindings: commandBindings('notifications'),
    handler: dispatch(commandHandlers(templates)),
    concurrency: 4,
  });
}
