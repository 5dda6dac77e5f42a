import {
  LiveTopic,
  eventBindings,
  dispatch,
  type LivePublisher,
  type ServiceMessaging,
  type TransactionContext,
} from '@airline/shared';

/** The queue of booking status events that become live messages (one replica handles each). */
export const LIVE_QUEUE = 'bookings.live';

/**
 * Turns every BookingStatusChanged (written in the transaction of the change) into a live
 * message on the booking's channel, versioned by the booking's own status version: one message
 * at a time keeps a booking's transitions in order, and a version already published (a
 * redelivery) is dropped.
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
        await publisher.publishVersioned(
          LiveTopic.BookingStatus,
          payload.bookingId,
          payload.version,
          { status: payload.status, previousStatus: payload.previousStatus },
          payload.occurredAt,
        );
      },
    }),
  });
}
