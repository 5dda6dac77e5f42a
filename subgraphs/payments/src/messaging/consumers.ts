import {
  commandBindings,
  commandQueue,
  dispatch,
  type RetryPolicy,
  type ServiceMessaging,
} from '@airline/shared';
import type { Refunds } from '../payment/refunds.ts';
import { commandHandlers } from './refund-handlers.ts';

/**
 * Starts payments' consumers: `payments.commands` (RefundPayment from the booking saga), each
 * command applied once through the inbox. `retry` tunes how long a provider outage is retried.
 */
export async function startPaymentConsumers(
  messaging: ServiceMessaging,
  refunds: Refunds,
  retry?: RetryPolicy,
): Promise<void> {
  await messaging.consume({
    queue: commandQueue('payments'),
    bindings: commandBindings('payments'),
    handler: dispatch(commandHandlers(refunds)),
    ...(retry ? { retry } : {}),
  });
}
