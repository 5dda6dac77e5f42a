import { LiveTopic, liveStream, type LiveMessage, type LiveSubscriber } from '@airline/shared';
import { isTerminal, type BookingStatus } from '../booking/booking-status.ts';
import type { BookingEntity } from '../booking/booking.entity.ts';

/** A booking status message's payload. */
export interface BookingStatusPayload {
  status: BookingStatus;
  previousStatus: BookingStatus | null;
}

/** The bookings subgraph's live streams, what its `Subscription` resolver subscribes to. */
export class BookingLive {
  readonly #subscriber: LiveSubscriber;

  constructor(subscriber: LiveSubscriber) {
    this.#subscriber = subscriber;
  }

  /**
   * A booking's status changes, starting with its status now (versioned by its status
   * version); the stream ends after a terminal status (one the booking never leaves).
   */
  bookingStatus(booking: BookingEntity): Promise<AsyncIterableIterator<LiveMessage>> {
    return liveStream(this.#subscriber, LiveTopic.BookingStatus, booking.id, {
      snapshot: async () => ({
        version: booking.statusVersion,
        occurredAt: new Date().toISOString(),
        payload: { status: booking.status, previousStatus: null },
      }),
      last: (message) => isTerminal((message.payload as unknown as BookingStatusPayload).status),
    });
  }
}
