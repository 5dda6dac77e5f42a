import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { BookingStatus, SagaStep } from './booking-status.ts';

/** A booking and the saga state that drives it (persisted, so a restart resumes it). */
export const Booking = defineEntity({
  name: 'Booking',
  tableName: 'booking',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    reference: p.string().length(6).unique(),
    customerId: p.uuid().index(),
    flightId: p.uuid().index(),
    status: p.enum(Object.values(BookingStatus)),
    sagaStep: p.enum(Object.values(SagaStep)).nullable(),
    totalMinor: p.integer(),
    currency: p.string().length(3),
    holdExpiresAt: p.datetime().nullable(),
    idempotencyKey: p.string().length(100).nullable(),
    requestHash: p.string().length(64).nullable(),
    paymentId: p.uuid().nullable(),
    paymentIdempotencyKey: p.string().length(100).nullable(),
    statusReason: p.string().length(500).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** A loaded booking row. */
export type BookingEntity = InferEntity<typeof Booking>;

/** A traveller on a booking and their seat, priced when it was held. */
export const BookingPassenger = defineEntity({
  name: 'BookingPassenger',
  tableName: 'booking_passenger',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    bookingId: p.uuid().index(),
    givenName: p.string().length(100),
    familyName: p.string().length(100),
    dateOfBirth: p.date(),
    seat: p.string().length(4),
    priceMinor: p.integer(),
    ticketNumber: p.string().length(13).nullable(),
    position: p.integer(),
  },
});
/** A loaded booking-passenger row. */
export type BookingPassengerEntity = InferEntity<typeof BookingPassenger>;
