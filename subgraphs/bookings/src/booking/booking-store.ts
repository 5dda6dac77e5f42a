import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@airline/shared';
import {
  Booking,
  BookingPassenger,
  type BookingEntity,
  type BookingPassengerEntity,
} from './booking.entity.ts';

/** Reads and locks of bookings shared by the use cases and the saga. */
export const bookingStore = {
  /** The booking, row-locked for the rest of the transaction: serialises saga steps, cancels and expiry. */
  lock(em: EntityManager, id: string): Promise<BookingEntity | null> {
    return em.findOne(Booking, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  },

  /** A booking's passengers in the order they were given. */
  passengers(em: EntityManager, bookingId: string): Promise<BookingPassengerEntity[]> {
    return em.find(BookingPassenger, { bookingId }, { orderBy: { position: 'asc' } });
  },

  /** The seat numbers of a booking. */
  async seats(em: EntityManager, bookingId: string): Promise<string[]> {
    return (await bookingStore.passengers(em, bookingId)).map((p) => p.seat);
  },

  /** Next 10-digit ticket serial from the database sequence (unique across replicas). */
  async nextTicketSerial(em: EntityManager): Promise<number> {
    const [row] = await em.execute<{ serial: string }[]>(
      `SELECT nextval('ticket_serial') AS serial`,
    );
    return Number(row!.serial);
  },
};
