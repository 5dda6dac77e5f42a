import { enqueue, newEvent, type EntityManager } from '@airline/shared';
import { canTransition, type BookingStatus } from './booking-status.ts';
import type { BookingEntity } from './booking.entity.ts';

/**
 * The one way a booking's status is set: checks the state machine, bumps the booking's status
 * version and enqueues BookingStatusChanged in the caller's transaction (the outbox of the same
 * commit as the change), so no path can change a status without telling live views.
 *
 * A booking that has never had a status announced (version 0, just created) gets `to` as its
 * first status, with no previous one.
 */
export function changeStatus(em: EntityManager, booking: BookingEntity, to: BookingStatus): void {
  const from = booking.statusVersion === 0 ? null : booking.status;
  if (from !== null && !canTransition(from, to)) {
    throw new Error(`booking ${booking.id} cannot go from ${from} to ${to}`);
  }
  booking.status = to;
  booking.statusVersion += 1;
  enqueue(
    em,
    newEvent(
      'BookingStatusChanged',
      booking.id,
      {
        bookingId: booking.id,
        customerId: booking.customerId,
        flightId: booking.flightId,
        status: to,
        previousStatus: from,
        version: booking.statusVersion,
        occurredAt: new Date().toISOString(),
      },
      booking.id,
    ),
  );
}
