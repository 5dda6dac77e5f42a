import {
  dependencyPolicy,
  internalClient,
  paymentRecords,
  type PaymentRecord,
  type ServiceTokens,
} from '@airline/shared';

/** What the saga reconciler needs from payments: its records of a booking's payments. */
export interface PaymentRecordsPort {
  paymentsOf(bookingId: string): Promise<PaymentRecord[]>;
}

/** Payments' `POST /internal/payment-records`, with bookings' own credential (no end user). */
export class PaymentRecordsClient implements PaymentRecordsPort {
  readonly #request: ReturnType<typeof internalClient<typeof paymentRecords>>;

  constructor(baseUrl: string, serviceTokens: ServiceTokens) {
    this.#request = internalClient(paymentRecords, {
      baseUrl,
      serviceTokens,
      policy: dependencyPolicy({ timeoutMs: 5000, failuresToOpen: 5, halfOpenAfterMs: 10_000 }),
    });
  }

  async paymentsOf(bookingId: string): Promise<PaymentRecord[]> {
    return (await this.#request({ bookingId }, null)).payments;
  }
}
