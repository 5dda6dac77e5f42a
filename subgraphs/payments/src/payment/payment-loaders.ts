import DataLoader from 'dataloader';
import type { EntityManager } from '@airline/shared';
import {
  Payment,
  PaymentAttempt,
  Refund,
  type PaymentAttemptEntity,
  type PaymentEntity,
  type RefundEntity,
} from './payment.entity.ts';

/** Request-scoped batch loaders: one query per field per request, never one per item. */
export interface PaymentLoaders {
  paymentById: DataLoader<string, PaymentEntity | null>;
  /** The most recent payment of each booking. */
  latestPaymentByBooking: DataLoader<string, PaymentEntity | null>;
  /** Every payment of each booking, newest first. */
  paymentsByBooking: DataLoader<string, PaymentEntity[]>;
  refundsByPayment: DataLoader<string, RefundEntity[]>;
  attemptsByPayment: DataLoader<string, PaymentAttemptEntity[]>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function groupBy<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return keys.map((key) => groups.get(key) ?? []);
}

/** Builds the loaders for one request on that request's EntityManager. */
export function createPaymentLoaders(em: EntityManager): PaymentLoaders {
  const paymentById: PaymentLoaders['paymentById'] = new DataLoader(async (ids) => {
    // A malformed id cannot exist, and PostgreSQL would reject it as a uuid.
    const valid = ids.filter((id) => UUID.test(id));
    const rows = valid.length ? await em.find(Payment, { id: { $in: valid } }) : [];
    const byId = new Map(rows.map((p) => [p.id, p]));
    return ids.map((id) => byId.get(id) ?? null);
  });
  const paymentsByBooking: PaymentLoaders['paymentsByBooking'] = new DataLoader(
    async (bookingIds) => {
      const rows = await em.find(
        Payment,
        { bookingId: { $in: [...bookingIds] } },
        { orderBy: { createdAt: 'desc', id: 'desc' } },
      );
      for (const row of rows) paymentById.prime(row.id, row);
      return groupBy(bookingIds, rows, (p) => p.bookingId);
    },
  );
  return {
    paymentById,
    paymentsByBooking,
    // One query serves both fields of a booking: its payments and the latest of them.
    latestPaymentByBooking: new DataLoader(async (bookingIds) =>
      (await paymentsByBooking.loadMany(bookingIds)).map((group) =>
        group instanceof Error ? group : (group[0] ?? null),
      ),
    ),
    refundsByPayment: new DataLoader(async (paymentIds) => {
      const rows = await em.find(
        Refund,
        { paymentId: { $in: [...paymentIds] } },
        { orderBy: { createdAt: 'asc', id: 'asc' } },
      );
      return groupBy(paymentIds, rows, (r) => r.paymentId);
    }),
    attemptsByPayment: new DataLoader(async (paymentIds) => {
      const rows = await em.find(
        PaymentAttempt,
        { paymentId: { $in: [...paymentIds] } },
        { orderBy: { id: 'asc' } },
      );
      return groupBy(paymentIds, rows, (a) => a.paymentId);
    }),
  };
}
