import type { EntityManager } from '@airline/shared';
import type { BookedTraveller } from '../notification/notification.entity.ts';
import type { BookingState } from '../notification/vocabulary.ts';

/** A booking as one booking event describes it. */
export interface BookingSnapshot {
  bookingId: string;
  reference: string;
  customerId: string;
  flightId: string;
  status: BookingState;
  /** Null: the event does not carry them (keep what is known). */
  passengers: BookedTraveller[] | null;
  total: { amountMinor: number; currency: string } | null;
}

// Which states a booking may move to from each state. Events of one booking can be handled out
// of order (consumer concurrency, retries): a late BookingCreated must not undo a confirmation.
const LATER_THAN: Record<BookingState, BookingState[]> = {
  HELD: [],
  CONFIRMED: ['HELD'],
  CANCELLED: ['HELD', 'CONFIRMED'],
  EXPIRED: ['HELD'],
};

/** Records what a booking event says of the booking, never moving it back to an earlier state. */
export async function recordBooking(em: EntityManager, b: BookingSnapshot): Promise<void> {
  // booking copy upsert: passengers and total only replace what is known when the event has them.
  await em.execute(
    `INSERT INTO booking_copy (booking_id, reference, customer_id, flight_id, status, passengers,
                               total_minor, currency, updated_at)
     VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, now())
     ON CONFLICT (booking_id) DO UPDATE SET
       status = EXCLUDED.status,
       passengers = CASE WHEN ? THEN EXCLUDED.passengers ELSE booking_copy.passengers END,
       total_minor = COALESCE(EXCLUDED.total_minor, booking_copy.total_minor),
       currency = COALESCE(EXCLUDED.currency, booking_copy.currency),
       updated_at = now()
     WHERE booking_copy.status = ANY (?::text[])`,
    [
      b.bookingId,
      b.reference,
      b.customerId,
      b.flightId,
      b.status,
      JSON.stringify(b.passengers ?? []),
      b.total?.amountMinor ?? null,
      b.total?.currency ?? null,
      b.passengers !== null,
      `{${LATER_THAN[b.status].join(',')}}`,
    ],
  );
}

/** Records a refund payments made for a booking (once per refund id). */
export async function recordRefund(
  em: EntityManager,
  refund: { refundId: string; bookingId: string; amountMinor: number; currency: string },
): Promise<void> {
  await em.execute(
    `INSERT INTO booking_refund (refund_id, booking_id, amount_minor, currency, recorded_at)
     VALUES (?, ?, ?, ?, now()) ON CONFLICT (refund_id) DO NOTHING`,
    [refund.refundId, refund.bookingId, refund.amountMinor, refund.currency],
  );
}

/** The customer and flight of a known booking, or null. */
export async function bookingOwner(
  em: EntityManager,
  bookingId: string,
): Promise<{ customerId: string; flightId: string } | null> {
  const rows = await em.execute<{ customer_id: string; flight_id: string }[]>(
    'SELECT customer_id, flight_id FROM booking_copy WHERE booking_id = ?',
    [bookingId],
  );
  const row = rows[0];
  return row ? { customerId: row.customer_id, flightId: row.flight_id } : null;
}

/**
 * Serialises the handlers of one booking's events for the rest of the caller's transaction.
 * A cancellation and its refund arrive on different queues: without this, each could commit
 * without seeing the other, and the message would wait the whole refund wait for nothing.
 */
export async function lockBooking(em: EntityManager, bookingId: string): Promise<void> {
  await em.execute('SELECT pg_advisory_xact_lock(hashtextextended(?, 7270))', [bookingId]);
}
