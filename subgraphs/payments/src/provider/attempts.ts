/** How one HTTP attempt against the provider ended; stored on the payment as its history. */
export const AttemptOutcome = {
  Approved: 'approved',
  Declined: 'declined',
  Refunded: 'refunded',
  /** A lookup the provider answered (whatever it found). */
  Retrieved: 'retrieved',
  /** The provider refused the request (4xx that is not a card decline); never retried. */
  Rejected: 'rejected',
  Timeout: 'timeout',
  NetworkError: 'network_error',
  ServerError: 'server_error',
  /** A 2xx whose body we could not read; retried, since the idempotency key makes that safe. */
  InvalidResponse: 'invalid_response',
} as const;
/** One attempt outcome. */
export type AttemptOutcome = (typeof AttemptOutcome)[keyof typeof AttemptOutcome];

/** One HTTP request the adapter made to the provider. */
export interface AttemptRecord {
  /** 1 for the first request of a call, 2 for its first retry, and so on. */
  attempt: number;
  outcome: AttemptOutcome;
  /** Wall time of the request, rounded to whole milliseconds. */
  durationMs: number;
  /** ISO-8601 time the request was sent. */
  startedAt: string;
  statusCode?: number;
  /** The provider's error code or the transport error, when the attempt did not succeed. */
  error?: string;
}
