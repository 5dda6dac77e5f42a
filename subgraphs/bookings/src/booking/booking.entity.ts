import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { BookingStatus, PaymentErrorCode, SagaStep } from './booking-status.ts';

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
    /** The customer's payBooking key: the same key never starts a second payment. */
    paymentIdempotencyKey: p.string().length(100).nullable(),
    /**
     * The key bookings sent payments with the request; the payment's result carries it back, so a
     * result whose answer never reached us (no paymentId yet) is still matched to its request.
     */
    paymentRequestKey: p.string().length(100).nullable(),
    /** Set while a payment request is out (its fencing token); cleared when it failed. */
    paymentRequestedAt: p.datetime().nullable(),
    /** What the matched PaymentCompleted took: what a cancellation gives back. */
    paidMinor: p.integer().nullable(),
    paidCurrency: p.string().length(3).nullable(),
    statusReason: p.string().length(500).nullable(),
    /** Payments of this booking that failed; the third one ends it PAYMENT_FAILED. */
    paymentFailures: p.integer().default(0),
    /** Why the latest payment failed, until another one is under way. */
    paymentErrorCode: p.enum(Object.values(PaymentErrorCode)).nullable(),
    paymentErrorMessage: p.string().length(500).nullable(),
    /** 1 at creation, +1 per status change (BookingStatusChanged.version). */
    statusVersion: p.integer().default(0),
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
