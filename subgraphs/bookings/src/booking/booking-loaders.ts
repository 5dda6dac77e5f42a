import DataLoader from 'dataloader';
import type { EntityManager } from '@airline/shared';
import {
  Booking,
  BookingPassenger,
  type BookingEntity,
  type BookingPassengerEntity,
} from './booking.entity.ts';

/** Request-scoped batch loaders: one query per field per request, never one per booking. */
export interface BookingLoaders {
  bookingById: DataLoader<string, BookingEntity | null>;
  passengersByBooking: DataLoader<string, BookingPassengerEntity[]>;
  bookingsByCustomer: DataLoader<string, BookingEntity[]>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function groupBy<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k)!);
}

/** Builds the loaders for one request on that request's EntityManager. */
export function createBookingLoaders(em: EntityManager): BookingLoaders {
  return {
    bookingById: new DataLoader(async (ids) => {
      const valid = ids.filter((id) => UUID.test(id));
      const rows = valid.length ? await em.find(Booking, { id: { $in: valid } }) : [];
      const byId = new Map(rows.map((b) => [b.id, b]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    passengersByBooking: new DataLoader(async (bookingIds) => {
      const rows = await em.find(
        BookingPassenger,
        { bookingId: { $in: [...bookingIds] } },
        { orderBy: { position: 'asc' } },
      );
      return groupBy(bookingIds, rows, (p) => p.bookingId);
    }),
    bookingsByCustomer: new DataLoader(async (customerIds) => {
      const valid = customerIds.filter((id) => UUID.test(id));
      const rows = valid.length
        ? await em.find(Booking, { customerId: { $in: valid } }, { orderBy: { createdAt: 'desc' } })
        : [];
      return groupBy(customerIds, rows, (b) => b.customerId);
    }),
  };
}
