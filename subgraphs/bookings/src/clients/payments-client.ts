import { dependencyPolicy, postInternal } from './internal-http.ts';

/** Card details as the customer typed them; they only pass through bookings, never stored here. */
export interface Card {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  holderName: string;
}

/** A payment request of the saga. */
export interface PaymentRequest {
  bookingId: string;
  customerId: string;
  amount: { amountMinor: number; currency: string };
  card: Card;
  idempotencyKey: string;
}

/** What bookings needs from payments. */
export interface PaymentsPort {
  requestPayment(
    request: PaymentRequest,
    authorization: string | undefined,
  ): Promise<{ paymentId: string; status: string }>;
}

/**
 * Payments' internal endpoint over HTTP. The circuit breaker is DESIGN's "bookings' dependence on
 * payments": while payments is down, payBooking fails fast with PAYMENT_UNAVAILABLE.
 */
export class PaymentsClient implements PaymentsPort {
  readonly #url: string;
  readonly #policy = dependencyPolicy({
    timeoutMs: 5000,
    failuresToOpen: 3,
    halfOpenAfterMs: 10_000,
  });

  constructor(baseUrl: string) {
    this.#url = new URL('/internal/payments', baseUrl).toString();
  }

  /** Asks payments to charge; answers once the payment is recorded, before the provider answers. */
  requestPayment(
    request: PaymentRequest,
    authorization: string | undefined,
  ): Promise<{ paymentId: string; status: string }> {
    return postInternal(this.#policy, this.#url, request, authorization);
  }
}
