/** The booking's status as clients see it (DESIGN §2). */
export const BookingStatus = {
  HELD: 'HELD',
  PAYMENT_PENDING: 'PAYMENT_PENDING',
  CONFIRMED: 'CONFIRMED',
  CANCELLED: 'CANCELLED',
  EXPIRED: 'EXPIRED',
  PAYMENT_FAILED: 'PAYMENT_FAILED',
} as const;
/** One booking status. */
export type BookingStatus = (typeof BookingStatus)[keyof typeof BookingStatus];

/**
 * Where the saga is inside PAYMENT_PENDING: waiting for the payment's result, or paid and
 * waiting for flights to confirm the seats in its inventory.
 */
export const SagaStep = {
  AWAITING_PAYMENT: 'AWAITING_PAYMENT',
  CONFIRMING_SEATS: 'CONFIRMING_SEATS',
} as const;
/** One saga step. */
export type SagaStep = (typeof SagaStep)[keyof typeof SagaStep];

/** Why a booking's latest payment failed, as clients see it (`Booking.paymentError.code`). */
export const PaymentErrorCode = {
  /** The card was refused (declined, insufficient funds, ...): another card may work. */
  PAYMENT_DECLINED: 'PAYMENT_DECLINED',
  /** The provider could not be used, or the charge was interrupted: no money was taken. */
  PAYMENT_UNAVAILABLE: 'PAYMENT_UNAVAILABLE',
} as const;
/** One payment error code. */
export type PaymentErrorCode = (typeof PaymentErrorCode)[keyof typeof PaymentErrorCode];

/**
 * The booking's state machine (DESIGN §2, with the payment-retry change):
 *
 *   HELD -> PAYMENT_PENDING -> CONFIRMED -> CANCELLED
 *   HELD -> EXPIRED                              (the hold lapsed unpaid)
 *   PAYMENT_PENDING -> HELD                      (a payment failed; the hold still runs)
 *   PAYMENT_PENDING -> PAYMENT_FAILED            (the third failure, or one after the hold lapsed)
 *   HELD | PAYMENT_PENDING | CONFIRMED -> CANCELLED
 */
const TRANSITIONS: Record<BookingStatus, readonly BookingStatus[]> = {
  HELD: ['PAYMENT_PENDING', 'CANCELLED', 'EXPIRED'],
  PAYMENT_PENDING: ['HELD', 'CONFIRMED', 'PAYMENT_FAILED', 'CANCELLED'],
  CONFIRMED: ['CANCELLED'],
  CANCELLED: [],
  EXPIRED: [],
  PAYMENT_FAILED: [],
};

/** True when the state machine allows going from one status to the other. */
export function canTransition(from: BookingStatus, to: BookingStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** A booking in one of these will not change any more. */
export function isTerminal(status: BookingStatus): boolean {
  return TRANSITIONS[status].length === 0;
}
