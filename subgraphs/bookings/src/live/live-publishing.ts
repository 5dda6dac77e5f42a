import {
  LiveTopic,
  eventBindings,
  dispatch,
  sagaOutcomes,
  type LivePublisher,
  type ServiceMessaging,
  type TransactionContext,
} from '@airline/shared';

/** The queue of booking status events that become live messages (one replica handles each). */
export const LIVE_QUEUE = 'bookings.live';

// The states a booking's saga ends in; HELD counts only when a payment failed back into it.
const FINAL_STATES = new Set(['CONFIRMED', 'PAYMENT_FAILED', 'CANCELLED', 'EXPIRED']);

/**
 * Turns every BookingStatusChanged (written in the transaction of the change) into a live
 * message on the booking's channel, versioned by the booking's own status version: one message
 * at a time per booking (bookings side by side) keeps a booking's transitions in order, and a
 * version already published (a redelivery) is dropped, so the consumer needs no inbox.
 */
export async function startLivePublishing(
  messaging: ServiceMessaging,
  publisher: LivePublisher,
): Promise<void> {
  await messaging.consume({
    queue: LIVE_QUEUE,
    bindings: eventBindings('BookingStatusChanged'),
    handler: dispatch<TransactionContext>({
      BookingStatusChanged: async ({ payload }) => {
        // Counted here, after the change committed, rather than where it is made (it may roll back).
        const published = await publisher.publishVersioned(
          LiveTopic.BookingStatus,
          payload.bookingId,
          payload.version,
          { status: payload.status, previousStatus: payload.previousStatus },
          payload.occurredAt,
        );
        // A redelivery publishes nothing (0) and is not counted twice.
        if (!published) return;
        if (FINAL_STATES.has(payload.status)) sagaOutcomes().inc({ state: payload.status });
        else if (payload.status === 'HELD' && payload.previousStatus === 'PAYMENT_PENDING')
          sagaOutcomes().inc({ state: 'HELD_AFTER_PAYMENT_FAILURE' });
      },
    }),
    // The status version makes a redelivery publish nothing: no inbox row, no transaction.
    idempotent: true,
    // Bookings side by side, each booking's changes one at a time and in order.
    concurrency: 8,
    prefetch: 32,
    orderingKey: (message) => message.aggregateId,
  });
}
