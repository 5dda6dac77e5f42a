// The words of the notifications domain, as const objects carrying their GraphQL wire values.

/** How a message travels (the GraphQL `NotificationChannel` values). */
export const Channel = { EMAIL: 'EMAIL', SMS: 'SMS', PUSH: 'PUSH' } as const;
/** One channel. */
export type Channel = (typeof Channel)[keyof typeof Channel];
/** Every channel, in the order a customer's messages are composed. */
export const CHANNELS: readonly Channel[] = [Channel.EMAIL, Channel.SMS, Channel.PUSH];

/** Where a message stands (the GraphQL `NotificationStatus` values). */
export const DeliveryStatus = {
  QUEUED: 'QUEUED',
  SENT: 'SENT',
  /** The last attempt failed; another is scheduled. */
  FAILED: 'FAILED',
  /** Retries are used up (or the provider refused it for good); an agent may replay it. */
  DEAD_LETTERED: 'DEAD_LETTERED',
} as const;
/** One delivery status. */
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];

/** What a message is about (the GraphQL `NotificationKind` values). */
export const Kind = {
  BOOKING_CONFIRMED: 'BOOKING_CONFIRMED',
  PAYMENT_FAILED: 'PAYMENT_FAILED',
  BOOKING_CANCELLED: 'BOOKING_CANCELLED',
  HOLD_EXPIRED: 'HOLD_EXPIRED',
  FLIGHT_DELAYED: 'FLIGHT_DELAYED',
  GATE_CHANGED: 'GATE_CHANGED',
  FLIGHT_CANCELLED: 'FLIGHT_CANCELLED',
  FLIGHT_REMINDER: 'FLIGHT_REMINDER',
} as const;
/** One kind of message. */
export type Kind = (typeof Kind)[keyof typeof Kind];
/** Every kind of message. */
export const KINDS = Object.values(Kind);

/** Whether a string names a kind of message. */
export function isKind(value: string): value is Kind {
  return (KINDS as readonly string[]).includes(value);
}

/**
 * Where a request to tell a customer something stands: WAITING until it is due (reminders, a
 * cancellation waiting for its refund), then COMPOSED into one message per channel, or DROPPED
 * when it no longer applies (the booking or flight was cancelled before the reminder).
 */
export const RequestState = {
  WAITING: 'WAITING',
  COMPOSED: 'COMPOSED',
  DROPPED: 'DROPPED',
} as const;
/** One request state. */
export type RequestState = (typeof RequestState)[keyof typeof RequestState];

/** A booking's status as notifications follows it from booking events. */
export const BookingState = {
  HELD: 'HELD',
  CONFIRMED: 'CONFIRMED',
  CANCELLED: 'CANCELLED',
  EXPIRED: 'EXPIRED',
} as const;
/** One booking state. */
export type BookingState = (typeof BookingState)[keyof typeof BookingState];
