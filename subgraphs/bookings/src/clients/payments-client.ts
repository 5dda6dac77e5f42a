import {
  dependencyPolicy,
  internalClient,
  paymentRequests,
  type AuthUser,
  type PaymentReceipt,
  type RequestOf,
  type ServiceTokens,
} from '@airline/shared';

/**
 * A payment request of the saga (the shared contract's request): amount and customer come from
 * the booking bookings recorded; the card only passes through bookings, never stored here.
 */
export type PaymentRequest = RequestOf<typeof paymentRequests>;

/** What bookings needs from payments. */
export interface PaymentsPort {
  /** Asks payments to charge for `user`; answers once the payment is recorded, before the provider answers. */
  requestPayment(request: PaymentRequest, user: AuthUser): Promise<PaymentReceipt>;
}

/**
 * Payments' internal endpoint over HTTP. The circuit breaker is DESIGN's "bookings' dependence on
 * payments": while payments is down, payBooking fails fast with PAYMENT_UNAVAILABLE.
 */
export class PaymentsClient implements PaymentsPort {
  readonly #request: ReturnType<typeof internalClient<typeof paymentRequests>>;

  constructor(baseUrl: string, serviceTokens: ServiceTokens) {
    this.#request = internalClient(paymentRequests, {
      baseUrl,
      serviceTokens,
      policy: dependencyPolicy({ timeoutMs: 5000, failuresToOpen: 3, halfOpenAfterMs: 10_000 }),
    });
  }

  requestPayment(request: PaymentRequest, user: AuthUser): Promise<PaymentReceipt> {
    return this.#request(request, user);
  }
}
