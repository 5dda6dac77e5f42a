import type { AttemptRecord } from './attempts.ts';

/** Why the provider could not be used at all. */
export const UnavailableReason = {
  /** The circuit breaker is open: we did not even try (or stopped trying mid-call). */
  CircuitOpen: 'circuit_open',
  /** Every allowed attempt timed out, failed to connect or got a 5xx. */
  RetriesExhausted: 'retries_exhausted',
  /** The caller aborted the call (e.g. the service is shutting down); the outcome is unknown. */
  Cancelled: 'cancelled',
} as const;
/** One unavailability reason. */
export type UnavailableReason = (typeof UnavailableReason)[keyof typeof UnavailableReason];

/** Provider error codes the payments service reacts to; others pass through as strings. */
export const ProviderErrorCode = {
  IdempotencyConflict: 'idempotency_conflict',
  ChargeNotFound: 'charge_not_found',
  ChargeNotRefundable: 'charge_not_refundable',
  RefundExceedsCharge: 'refund_exceeds_charge',
} as const;
/** One known provider error code. */
export type ProviderErrorCode = (typeof ProviderErrorCode)[keyof typeof ProviderErrorCode];

/** The provider could not be reached or kept failing; maps to `PAYMENT_UNAVAILABLE`. */
export class ProviderUnavailableError extends Error {
  override readonly name = 'ProviderUnavailableError';
  readonly reason: UnavailableReason;
  readonly attempts: AttemptRecord[];

  constructor(reason: UnavailableReason, attempts: AttemptRecord[], cause?: unknown) {
    const last = attempts.at(-1);
    super(
      reason === UnavailableReason.CircuitOpen
        ? 'Payment provider circuit is open; failing fast'
        : reason === UnavailableReason.Cancelled
          ? `Payment provider call cancelled after ${attempts.length} attempts`
          : `Payment provider unavailable after ${attempts.length} attempts (last: ${last?.error ?? last?.outcome ?? 'none'})`,
      { cause },
    );
    this.reason = reason;
    this.attempts = attempts;
  }
}

/** The provider answered with a 4xx that is not a card decline; retrying would not help. */
export class ProviderRequestError extends Error {
  override readonly name = 'ProviderRequestError';
  readonly status: number;
  readonly code: string;
  readonly param: string | undefined;
  readonly attempts: AttemptRecord[];

  constructor(
    details: { status: number; code: string; message: string; param?: string | undefined },
    attempts: AttemptRecord[],
  ) {
    super(
      `Payment provider rejected the request (${details.status} ${details.code}): ${details.message}`,
    );
    this.status = details.status;
    this.code = details.code;
    this.param = details.param;
    this.attempts = attempts;
  }
}
