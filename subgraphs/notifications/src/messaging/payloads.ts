import { z } from 'zod';
import { Channel, Kind } from '../notification/vocabulary.ts';

// The catalogue types payloads at compile time; a producer on another version could still send
// something else, and retrying a malformed message cannot help: it is dead-lettered at once.

const id = z.uuid();
const text = (max: number) => z.string().max(max);
const instant = z.iso.datetime({ offset: true });
const money = z.object({
  amountMinor: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/),
});
const traveller = z.object({
  givenName: text(100),
  familyName: text(100),
  seat: text(4),
  ticketNumber: text(20).optional(),
});

/** BookingCreated: a hold exists (followed so later events know the booking). */
export const bookingCreated = z.object({
  bookingId: id,
  reference: text(6),
  customerId: id,
  flightId: id,
  passengers: z.array(traveller).max(50),
  total: money,
});
/** BookingConfirmed: paid and ticketed; the e-ticket goes out. */
export const bookingConfirmed = bookingCreated.extend({ paymentId: id });
/** BookingCancelled: by the customer, an agent, the flight's cancellation or a failed seat confirmation. */
export const bookingCancelled = z.object({
  bookingId: id,
  reference: text(6),
  customerId: id,
  flightId: id,
  cause: z.enum(['CUSTOMER', 'AGENT', 'FLIGHT_CANCELLED', 'SEAT_CONFIRMATION_FAILED']),
  reason: text(1000).nullable(),
  refund: money.nullable(),
});
/** BookingExpired: the hold lapsed unpaid. */
export const bookingExpired = z.object({
  bookingId: id,
  reference: text(6),
  customerId: id,
  flightId: id,
  holdExpiredAt: instant,
});
/** PaymentFailed: the card was declined or could not be charged. */
export const paymentFailed = z.object({
  paymentId: id,
  bookingId: id,
  customerId: id,
  amount: money,
  code: text(100),
  reason: text(1000),
});
/** PaymentRefunded: money went back to the card. */
export const paymentRefunded = z.object({
  refundId: text(100).min(1),
  bookingId: id,
  amount: money,
});
/** FlightDelayed: new departure and arrival, airport-local with offsets. */
export const flightDelayed = z.object({
  flightId: id,
  number: text(8),
  oldDepartureTime: instant,
  newDepartureTime: instant,
  oldArrivalTime: instant,
  newArrivalTime: instant,
  reason: text(1000),
});
/** GateChanged: the departure gate moved. */
export const gateChanged = z.object({
  flightId: id,
  number: text(8),
  oldGate: text(8).nullable(),
  newGate: text(8),
});
/** FlightCancelled: bookings cancels the bookings; reminders of the flight are dropped here. */
export const flightCancelled = z.object({ flightId: id, number: text(8), reason: text(1000) });
/** SendNotification: another service asks for a message it wrote itself (plain text). */
export const sendNotification = z.object({
  channel: z.enum(Channel),
  kind: z.enum(Kind),
  recipient: text(320).min(1),
  customerId: id.nullable(),
  bookingId: id.nullable(),
  subject: text(300).min(1),
  body: text(10_000).min(1),
});
