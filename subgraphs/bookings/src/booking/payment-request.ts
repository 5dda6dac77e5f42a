import { appError, ErrorCode, type MinorMoney } from '@airline/shared';
import type { BookingEntity, BookingPassengerEntity } from './booking.entity.ts';

// payBooking in three steps, so no row lock is held while payments is called:
//   1. reserve  (booking row locked): the machine's StartPayment records the customer's key and
//      the request key sent to payments; commit;
//   2. request  (no transaction): keep the seats held, ask payments;
//   3. record   (booking row locked): PaymentAccepted (PAYMENT_PENDING), or, when the request
//      failed, PaymentRequestFailed withdraws the reservation so the booking stays HELD.
// Payments dedupes on the request key, so every attempt under one customer key asks for the
// same payment: the same key never charges twice, even from concurrent retries.

/** One payment request to send to payments for a booking. */
export interface PaymentRequestTicket {
  bookingId: string;
  customerId: string;
  flightId: string;
  seats: string[];
  amount: MinorMoney;
  /** The payments idempotency key; its result carries it back. */
  requestKey: string;
  /** The reservation this attempt made (its fencing token); null if it re-sends one already out. */
  reservedAt: Date | null;
}

/**
 * The request for a booking just reserved (or re-sent), from what bookings recorded: the booking
 * and its passengers as read under the row lock.
 */
export function ticketOf(
  booking: BookingEntity,
  passengers: readonly BookingPassengerEntity[],
  reservedAt: Date | null,
): PaymentRequestTicket {
  return {
    bookingId: booking.id,
    customerId: booking.customerId,
    flightId: booking.flightId,
    seats: passengers.map((p) => p.seat),
    // What bookings priced and recorded, never what a client says.
    amount: { amountMinor: booking.totalMinor, currency: booking.currency },
    requestKey: booking.paymentRequestKey!,
    reservedAt,
  };
}

/** The seats are no longer held (their Redis keys lapsed): the booking cannot be paid. */
export const holdExpired = (): Error =>
  appError(ErrorCode.HOLD_EXPIRED, 'The seat hold has expired: create a new booking');
