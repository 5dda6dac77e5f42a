import {
  commandBindings,
  commandQueue,
  dispatch,
  type Consumer,
  type RetryPolicy,
  type ServiceMessaging,
  type TransactionContext,
} from '@airline/shared';
import type { Refunds } from '../payment/refunds.ts';

/**
 * Consumes payments' command queue (RefundPayment). The inbox records the command in the same
 * transaction as the refund, so a redelivery is a no-op; a provider outage throws, and the
 * consumer retries with backoff before dead-lettering.
 */
export function startRefundConsumer(
  messaging: ServiceMessaging,
  refunds: Refunds,
  retry?: RetryPolicy,
): Promise<Consumer> {
  return messaging.consume({
    queue: commandQueue('payments'),
    bindings: commandBindings('payments'),
    handler: dispatch<TransactionContext>({
      RefundPayment: async (command, { em }) => void (await refunds.apply(em, command)),
    }),
    ...(retry ? { retry } : {}),
  });
}
