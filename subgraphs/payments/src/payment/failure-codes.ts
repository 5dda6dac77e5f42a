/** Failure reasons payments sets itself; the provider's decline codes pass through unchanged. */
export const FailureCode = {
  /** Retries ran out or the circuit breaker was open: the card was (most likely) not charged. */
  ProviderUnavailable: 'provider_unavailable',
  /** The service stopped mid-charge and the provider has no charge for the payment. */
  PaymentInterrupted: 'payment_interrupted',
  CardDeclined: 'card_declined',
} as const;
/** One of our own failure codes. */
export type FailureCode = (typeof FailureCode)[keyof typeof FailureCode];

const MESSAGES: Record<string, string> = {
  card_declined: 'The card was declined',
  insufficient_funds: 'The card has insufficient funds',
  expired_card: 'The card has expired',
  invalid_card_number: 'The card number is not valid',
  invalid_cvc: 'The card security code is not valid',
  provider_unavailable: 'The payment provider is unavailable; no money was taken, try again later',
  payment_interrupted: 'The payment was interrupted before the card was charged',
  idempotency_conflict: 'The payment provider refused a conflicting repeat of this payment',
};

/** A sentence a customer can read for a failure code (PaymentFailed.reason). */
export function failureMessage(code: string): string {
  return MESSAGES[code] ?? `The payment failed (${code})`;
}
