import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@airline/shared';
import { Kind } from '../notification/vocabulary.ts';

/** One thing to tell one booking's customer, and when. */
export interface NewRequest {
  kind: Kind;
  bookingId: string;
  customerId: string;
  flightId: string;
  facts: Record<string, unknown>;
  dueAt: Date;
  /** The same key twice records one request: a redelivered or re-emitted event changes nothing. */
  dedupeKey: string;
}

/** The kinds a refund completes: they wait (a while) for it so that they can state it. */
export const CANCELLATION_KINDS: readonly Kind[] = [Kind.BOOKING_CANCELLED, Kind.FLIGHT_CANCELLED];

/** When the reminder of a departure is due. */
export function reminderDueAt(departure: Date, hoursBefore: number): Date {
  return new Date(departure.getTime() - hoursBefore * 3_600_000);
}

/** Records a request unless one with its dedupe key exists; true when it was recorded. */
export async function requestMessage(em: EntityManager, r: NewRequest): Promise<boolean> {
  const inserted = await em.execute<{ id: string }[]>(
    `INSERT INTO message_request (id, kind, booking_id, customer_id, flight_id, facts, due_at,
                                  dedupe_key, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, now(), now())
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id`,
    [
      randomUUID(),
      r.kind,
      r.bookingId,
      r.customerId,
      r.flightId,
      JSON.stringify(r.facts),
      r.dueAt,
      r.dedupeKey,
    ],
  );
  return inserted.length > 0;
}

/**
 * Records one request per confirmed booking of a flight (a delay or gate change reaches every
 * passenger on it), in one statement however many bookings; returns how many were recorded.
 * `dedupeKey` is per event: `<prefix>:<bookingId>`.
 */
export async function requestForFlight(
  em: EntityManager,
  r: { kind: Kind; flightId: string; facts: Record<string, unknown>; dedupePrefix: string },
): Promise<number> {
  const inserted = await em.execute<{ id: string }[]>(
    `INSERT INTO message_request (id, kind, booking_id, customer_id, flight_id, facts, due_at,
                                  dedupe_key, created_at, updated_at)
     SELECT gen_random_uuid(), ?, b.booking_id, b.customer_id, b.flight_id, ?::jsonb, now(),
            ? || ':' || b.booking_id, now(), now()
       FROM booking_copy b
      WHERE b.flight_id = ? AND b.status = 'CONFIRMED'
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id`,
    [r.kind, JSON.stringify(r.facts), r.dedupePrefix, r.flightId],
  );
  return inserted.length;
}

/** Moves the waiting reminders of a flight to its new departure; returns how many moved. */
export async function moveReminders(
  em: EntityManager,
  flightId: string,
  dueAt: Date,
): Promise<number> {
  const moved = await em.execute<{ id: string }[]>(
    `UPDATE message_request SET due_at = ?, updated_at = now()
      WHERE flight_id = ? AND kind = ? AND state = 'WAITING'
     RETURNING id`,
    [dueAt, flightId, Kind.FLIGHT_REMINDER],
  );
  return moved.length;
}

/** Drops the waiting reminders of a booking or of a whole flight (it no longer departs for them). */
export async function dropReminders(
  em: EntityManager,
  where: { bookingId: string } | { flightId: string },
  why: string,
): Promise<void> {
  const [column, value] =
    'bookingId' in where ? ['booking_id', where.bookingId] : ['flight_id', where.flightId];
  await em.execute(
    `UPDATE message_request SET state = 'DROPPED', last_error = ?, updated_at = now()
      WHERE ${column} = ? AND kind = ? AND state = 'WAITING'`,
    [why, value, Kind.FLIGHT_REMINDER],
  );
}

/** A refund was recorded: a cancellation message waiting for it is due now. */
export async function refundArrived(em: EntityManager, bookingId: string): Promise<void> {
  await em.execute(
    `UPDATE message_request SET due_at = now(), updated_at = now()
      WHERE booking_id = ? AND kind IN (?) AND state = 'WAITING' AND due_at > now()`,
    [bookingId, CANCELLATION_KINDS],
  );
}

/** The total refunds recorded for a booking, per currency, in minor units. */
export async function refundTotals(
  em: EntityManager,
  bookingIds: readonly string[],
): Promise<Map<string, Map<string, number>>> {
  const totals = new Map<string, Map<string, number>>();
  if (!bookingIds.length) return totals;
  const rows = await em.execute<{ booking_id: string; currency: string; total: string }[]>(
    `SELECT booking_id, currency, sum(amount_minor) AS total FROM booking_refund
      WHERE booking_id IN (?) GROUP BY booking_id, currency`,
    [bookingIds],
  );
  for (const row of rows) {
    const byCurrency = totals.get(row.booking_id) ?? new Map<string, number>();
    byCurrency.set(row.currency, Number(row.total));
    totals.set(row.booking_id, byCurrency);
  }
  return totals;
}
