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

const TRANSITIONS: Record<BookingStatus, readonly BookingStatus[]> = {
  HELD: ['PAYMENT_PENDING', 'CONFIRMED', 'CANCELLED', 'EXPIRED', 'PAYMENT_FAILED'],
  PAYMENT_PENDING: ['CONFIRMED', 'PAYMENT_FAILED', 'CANCELLED'],
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
