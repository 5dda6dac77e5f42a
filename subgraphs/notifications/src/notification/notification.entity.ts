import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { BookingState, CHANNELS, DeliveryStatus, KINDS, RequestState } from './vocabulary.ts';

/** A file sent with an e-mail (the e-ticket's calendar entry). */
export interface Attachment {
  filename: string;
  contentType: string;
  content: string;
}

/**
 * One message to one recipient on one channel, rendered when it was composed, and its delivery
 * state. `dedupeKey` (request + channel) makes composing the same request twice create nothing.
 * The id is the message's identity at the provider too: the SMTP Message-ID and the SMS/push
 * idempotency key, so a send repeated after a crash is recognised as the same message.
 */
export const Notification = defineEntity({
  name: 'Notification',
  tableName: 'notification',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    channel: p.enum([...CHANNELS]),
    kind: p.enum([...KINDS]),
    recipient: p.string().length(320),
    customerId: p.uuid().nullable(),
    bookingId: p.uuid().nullable(),
    subject: p.string().length(300),
    bodyText: p.text(),
    bodyHtml: p.text().nullable(),
    attachments: p.json<Attachment[]>(),
    status: p.enum(Object.values(DeliveryStatus)).default(DeliveryStatus.QUEUED),
    /** Every delivery attempt, replays included. */
    attempts: p.integer().default(0),
    /** `attempts` when the message was last replayed: the retry budget counts from there. */
    retryBase: p.integer().default(0),
    nextAttemptAt: p.datetime(),
    /** Set while a sender holds the message; past it, another sender may take it over. */
    leaseUntil: p.datetime().nullable(),
    lastError: p.text().nullable(),
    providerMessageId: p.string().length(200).nullable(),
    dedupeKey: p.string().length(200).unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    sentAt: p.datetime().nullable(),
  },
});
/** A loaded notification row. */
export type NotificationEntity = InferEntity<typeof Notification>;

/**
 * Something a customer must be told about one booking, recorded by the event consumer in the
 * event's own transaction and composed into messages when due (at once, or later for reminders
 * and for cancellations waiting for their refund). Composing needs other services (contact
 * details, flight details), which is why it is not done while the event's transaction is open.
 */
export const MessageRequest = defineEntity({
  name: 'MessageRequest',
  tableName: 'message_request',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    kind: p.enum([...KINDS]),
    bookingId: p.uuid(),
    customerId: p.uuid(),
    flightId: p.uuid(),
    /** What the event said that the message needs (old and new times, the reason, ...). */
    facts: p.json<Record<string, unknown>>(),
    dueAt: p.datetime(),
    state: p.enum(Object.values(RequestState)).default(RequestState.WAITING),
    attempts: p.integer().default(0),
    leaseUntil: p.datetime().nullable(),
    lastError: p.text().nullable(),
    dedupeKey: p.string().length(200).unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** A loaded message request. */
export type MessageRequestEntity = InferEntity<typeof MessageRequest>;

/** A ticketed traveller as the booking events carry them. */
export interface BookedTraveller {
  givenName: string;
  familyName: string;
  seat: string;
  ticketNumber?: string | undefined;
}

/**
 * What notifications knows of a booking, from the booking events: whom to tell when its flight
 * changes, and what the e-ticket shows.
 */
export const BookingCopy = defineEntity({
  name: 'BookingCopy',
  tableName: 'booking_copy',
  properties: {
    bookingId: p.uuid().primary(),
    reference: p.string().length(6),
    customerId: p.uuid(),
    flightId: p.uuid(),
    status: p.enum(Object.values(BookingState)),
    passengers: p.json<BookedTraveller[]>(),
    totalMinor: p.integer().nullable(),
    currency: p.string().length(3).nullable(),
    updatedAt: p.datetime(),
  },
});
/** A loaded booking copy. */
export type BookingCopyEntity = InferEntity<typeof BookingCopy>;

/** A refund payments recorded for a booking (PaymentRefunded): what a cancellation message states. */
export const BookingRefund = defineEntity({
  name: 'BookingRefund',
  tableName: 'booking_refund',
  properties: {
    refundId: p.string().length(100).primary(),
    bookingId: p.string().length(100),
    amountMinor: p.integer(),
    currency: p.string().length(3),
    recordedAt: p.datetime(),
  },
});
/** A loaded refund record. */
export type BookingRefundEntity = InferEntity<typeof BookingRefund>;

/** A customer's channel choices; a customer without a row has the defaults. */
export const ChannelPreference = defineEntity({
  name: 'ChannelPreference',
  tableName: 'channel_preference',
  properties: {
    customerId: p.uuid().primary(),
    sms: p.boolean(),
    push: p.boolean(),
    updatedAt: p.datetime(),
  },
});
/** A loaded preference row. */
export type ChannelPreferenceEntity = InferEntity<typeof ChannelPreference>;
