import DataLoader from 'dataloader';
import { badInput, type EntityManager } from '@airline/shared';
import { Notification, type NotificationEntity } from './notification.entity.ts';
import type { Channel, DeliveryStatus, Kind } from './vocabulary.ts';

/** One page of a list, newest first: up to `first`, after the message with id `after`. */
export interface Page {
  first: number;
  after: string | null;
}

/** A message still to be composed. */
export interface Scheduled {
  kind: Kind;
  dueAt: Date;
  /** Whose booking it is: only they (or an agent) see it. */
  customerId: string | null;
}

/** Request-scoped loaders and list reads: one query per field per request, never one per item. */
export interface NotificationLoaders {
  /** A booking's messages (first page): batched over every booking of a response. */
  byBooking: DataLoader<{ bookingId: string; first: number }, NotificationEntity[], string>;
  /** A booking's waiting requests (the reminder): batched likewise. */
  scheduledByBooking: DataLoader<string, Scheduled[]>;
  /** Any page of a customer's, a booking's or (for agents) everyone's messages. */
  page(
    where: { customerId?: string; bookingId?: string; status?: DeliveryStatus; channel?: Channel },
    page: Page,
  ): Promise<NotificationEntity[]>;
}

/** The most a page holds. */
export const MAX_PAGE = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Validates a page request (1 to MAX_PAGE; `after` a message id). */
export function pageOf(first: number | null | undefined, after: string | null | undefined): Page {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE)
    throw badInput(`first: from 1 to ${MAX_PAGE}`, 'first');
  if (after != null && !UUID.test(after)) throw badInput('after: not a notification id', 'after');
  return { first: size, after: after ?? null };
}

/** Builds the loaders for one request on that request's EntityManager. */
export function createNotificationLoaders(em: EntityManager): NotificationLoaders {
  const page: NotificationLoaders['page'] = async (where, { first, after }) => {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const column = {
      customerId: 'customer_id',
      bookingId: 'booking_id',
      status: 'status',
      channel: 'channel',
    };
    for (const [key, name] of Object.entries(column)) {
      const value = where[key as keyof typeof where];
      if (value === undefined) continue;
      conditions.push(`${name} = ?`);
      params.push(value);
    }
    if (after) {
      // keyset: strictly after the cursor in (created_at, id) order, compared in the database at
      // its full (microsecond) precision; an unknown cursor matches nothing.
      conditions.push('(created_at, id) < (SELECT created_at, id FROM notification WHERE id = ?)');
      params.push(after);
    }
    const rows = await em.execute<Record<string, unknown>[]>(
      `SELECT * FROM notification ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT ?`,
      [...params, first],
    );
    return rows.map((row) => em.map(Notification, row));
  };

  const byBooking: NotificationLoaders['byBooking'] = new DataLoader(
    async (keys) => {
      const ids = [...new Set(keys.map((k) => k.bookingId).filter((id) => UUID.test(id)))];
      const limit = Math.max(...keys.map((k) => k.first));
      // first page per booking in one query: numbered within each booking, newest first.
      const rows = ids.length
        ? await em.execute<Record<string, unknown>[]>(
            `SELECT * FROM (
               SELECT n.*, row_number() OVER (
                        PARTITION BY booking_id ORDER BY created_at DESC, id DESC) AS position
                 FROM notification n WHERE booking_id IN (?)) ranked
              WHERE position <= ?
              ORDER BY booking_id, position`,
            [ids, limit],
          )
        : [];
      const grouped = new Map<string, NotificationEntity[]>();
      for (const row of rows) {
        const entity = em.map(Notification, row);
        const list = grouped.get(entity.bookingId!) ?? [];
        list.push(entity);
        grouped.set(entity.bookingId!, list);
      }
      return keys.map((k) => (grouped.get(k.bookingId) ?? []).slice(0, k.first));
    },
    { cacheKeyFn: (k) => `${k.bookingId}:${k.first}` },
  );

  const scheduledByBooking: NotificationLoaders['scheduledByBooking'] = new DataLoader(
    async (bookingIds) => {
      const ids = bookingIds.filter((id) => UUID.test(id));
      const rows = ids.length
        ? await em.execute<
            { booking_id: string; customer_id: string; kind: Kind; due_at: string | Date }[]
          >(
            `SELECT booking_id, customer_id, kind, due_at FROM message_request
              WHERE booking_id IN (?) AND state = 'WAITING' ORDER BY due_at`,
            [ids],
          )
        : [];
      return bookingIds.map((id) =>
        rows
          .filter((r) => r.booking_id === id)
          .map((r) => ({ kind: r.kind, dueAt: new Date(r.due_at), customerId: r.customer_id })),
      );
    },
  );

  return { byBooking, scheduledByBooking, page };
}
