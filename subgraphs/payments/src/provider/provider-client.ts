import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
  type CircuitBreakerPolicy,
  type IPolicy,
  type IRetryContext,
  type ICancellationContext,
} from 'cockatiel';
import type { Logger } from 'pino';
import { breakerState } from '@airline/shared';
import { AttemptOutcome, type AttemptRecord } from './attempts.ts';
import { normalizeCardNumber, toCardBrand, type CardBrand } from './card.ts';
import {
  ProviderRequestError,
  ProviderUnavailableError,
  UnavailableReason,
} from './provider-errors.ts';
import {
  chargeListResponseSchema,
  chargeResponseSchema,
  errorResponseSchema,
  refundResponseSchema,
} from './provider-wire.ts';

/** Card details as the customer typed them; they go to the provider and are never stored. */
export interface CardDetails {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  holderName: string;
}

/** One charge; `amount` is in minor units of `currency`. */
export interface ChargeRequest {
  amount: number;
  currency: string;
  card: CardDetails;
  /** Our payment's reference, so the provider's records can be matched to ours. */
  reference: string;
  /** Sent on every attempt of this charge, so a retry can never charge twice. */
  idempotencyKey: string;
}

/** One refund of (part of) a charge; `amount` is in minor units. */
export interface RefundRequest {
  chargeId: string;
  amount: number;
  idempotencyKey: string;
}

/** What a charge ended in, with every HTTP attempt it took. */
export type ChargeResult =
  | {
      kind: 'approved';
      chargeId: string;
      brand: CardBrand;
      last4: string;
      attempts: AttemptRecord[];
    }
  | {
      kind: 'declined';
      /** `card_declined`, `insufficient_funds`, `invalid_card_number`, `expired_card`, ... */
      code: string;
      /** Set when the provider recorded the declined charge. */
      chargeId?: string;
      attempts: AttemptRecord[];
    };

/** A charge the provider holds for one of our references, as a lookup returns it. */
export interface ProviderCharge {
  chargeId: string;
  status: 'succeeded' | 'declined';
  declineCode?: string;
  brand: CardBrand;
  last4: string;
}

/** What the provider knows about one reference: its charges, oldest first (often none). */
export interface ChargeLookupResult {
  charges: ProviderCharge[];
  attempts: AttemptRecord[];
}

/** Per-call options of the client's operations. */
export interface CallOptions {
  /** Aborting stops the call between or during attempts (a service shutting down). */
  signal?: AbortSignal;
}

/** A refund the provider accepted. */
export interface RefundResult {
  kind: 'refunded';
  refundId: string;
  chargeId: string;
  amount: number;
  attempts: AttemptRecord[];
}

/** Settings of {@link PaymentProviderClient}; every number has a production default. */
export interface PaymentProviderClientOptions {
  baseUrl: string;
  logger: Logger;
  /** Per attempt, not per call; default 2000 ms. */
  timeoutMs?: number;
  /** Attempts per call including the first; default 4. */
  maxAttempts?: number;
  /** Exponential backoff with decorrelated jitter between attempts. */
  backoff?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Opens after `threshold` consecutive failed attempts and tries again after `halfOpenAfterMs`. */
  breaker?: { threshold?: number; halfOpenAfterMs?: number };
}

/** The breaker's state, for health endpoints and logs. */
export type CircuitStateName = 'closed' | 'open' | 'half_open' | 'isolated';

const CIRCUIT_STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'isolated',
};

// Thrown for attempts worth retrying; the only error the retry and breaker policies handle.
class TransientFailure extends Error {
  readonly outcome: AttemptOutcome;
  constructor(outcome: AttemptOutcome, message: string) {
    super(message);
    this.outcome = outcome;
  }
}

// Thrown for a non-decline 4xx; neither retried nor counted against the provider's health.
class Rejection extends Error {
  readonly details: { status: number; code: string; message: string; param?: string | undefined };
  constructor(details: Rejection['details']) {
    super(details.message);
    this.details = details;
  }
}

type Interpreted<T> = { value: T; outcome: AttemptOutcome; error?: string };
type Interpret<T> = (status: number, body: unknown) => Interpreted<T>;
type WithoutAttempts<R> = R extends unknown ? Omit<R, 'attempts'> : never;
type ChargeOutcome = WithoutAttempts<ChargeResult>;
type PolicyContext = IRetryContext & ICancellationContext;

/** One HTTP request of an operation; POSTs carry an idempotency key, GETs are safe to repeat. */
interface ProviderRequest {
  method: 'GET' | 'POST';
  path: string;
  idempotencyKey?: string;
  body?: unknown;
}

// Duck-typed on purpose: fetch's errors may come from another realm (vm contexts), where
// `instanceof Error` is false. undici hides the useful part (ECONNREFUSED, ...) in `cause`.
function describeTransportError(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const { cause, code, message } = err as { cause?: unknown; code?: unknown; message?: unknown };
  if (cause !== undefined) return describeTransportError(cause);
  const text = typeof message === 'string' ? message : '';
  if (typeof code === 'string' && !text.includes(code)) return text ? `${code}: ${text}` : code;
  return text || String(err);
}

/** Talks to the card processor: idempotent retries with backoff, a circuit breaker, per-attempt records. */
export class PaymentProviderClient {
  readonly #baseUrl: string;
  readonly #log: Logger;
  readonly #timeoutMs: number;
  readonly #breaker: CircuitBreakerPolicy;
  readonly #halfOpenAfterMs: number;
  readonly #policy: IPolicy<PolicyContext>;
  #openedAt = 0;

  constructor(options: PaymentProviderClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#log = options.logger.child({ component: 'payment-provider-client' });
    this.#timeoutMs = options.timeoutMs ?? 2000;
    const maxAttempts = Math.max(1, options.maxAttempts ?? 4);

    const transient = handleWhen((err) => err instanceof TransientFailure);
    // Retry outermost and the breaker per attempt: every failed request counts towards opening,
    // and once open the next retry fails fast with BrokenCircuitError, which is not retried.
    const retryPolicy = retry(transient, {
      maxAttempts: maxAttempts - 1, // cockatiel counts retries, we count attempts
      backoff: new ExponentialBackoff({
        initialDelay: options.backoff?.initialDelayMs ?? 100,
        maxDelay: options.backoff?.maxDelayMs ?? 2000,
      }),
    });
    this.#halfOpenAfterMs = options.breaker?.halfOpenAfterMs ?? 10_000;
    this.#breaker = circuitBreaker(transient, {
      halfOpenAfter: this.#halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(options.breaker?.threshold ?? 5),
    });
    // Cooperative: the signal aborts fetch itself, so the attempt sees and records its own timeout.
    const timeoutPolicy = timeout(this.#timeoutMs, TimeoutStrategy.Cooperative);
    this.#policy = wrap(retryPolicy, this.#breaker, timeoutPolicy);

    retryPolicy.onRetry(({ attempt, delay }) =>
      this.#log.debug(
        { retry: attempt, delayMs: Math.round(delay) },
        'retrying payment provider call',
      ),
    );
    // The gauge is what the "breaker open" alert reads: 0 closed, 1 half-open, 2 open.
    const gauge = breakerState();
    gauge.set({ breaker: 'payment-provider' }, 0);
    this.#breaker.onStateChange((state) =>
      gauge.set(
        { breaker: 'payment-provider' },
        state === CircuitState.Open || state === CircuitState.Isolated
          ? 2
          : state === CircuitState.HalfOpen
            ? 1
            : 0,
      ),
    );
    this.#breaker.onBreak(() => {
      this.#openedAt = Date.now();
      this.#log.error('payment provider circuit opened; failing fast');
    });
    this.#breaker.onHalfOpen(() =>
      this.#log.info('payment provider circuit half-open; sending a test request'),
    );
    this.#breaker.onReset(() => this.#log.info('payment provider circuit closed again'));
  }

  /** Current breaker state. */
  get circuitState(): CircuitStateName {
    return CIRCUIT_STATE_NAMES[this.#breaker.state];
  }

  /**
   * True while the breaker is open and not yet due for a trial request: a call now would fail
   * without reaching the provider. (cockatiel reports `open` until the next call even after the
   * half-open delay has passed, so the state alone would refuse callers forever.)
   */
  get failingFast(): boolean {
    const state = this.#breaker.state;
    if (state === CircuitState.Isolated) return true;
    return state === CircuitState.Open && Date.now() - this.#openedAt < this.#halfOpenAfterMs;
  }

  /**
   * Charges a card. Resolves `approved` or `declined`; throws {@link ProviderUnavailableError}
   * when the provider cannot be used and {@link ProviderRequestError} when it refuses the request.
   */
  async charge(request: ChargeRequest, options: CallOptions = {}): Promise<ChargeResult> {
    const body = {
      amount: request.amount,
      currency: request.currency,
      card: { ...request.card, number: normalizeCardNumber(request.card.number) },
      reference: request.reference,
    };
    return this.#call(
      'charge',
      { method: 'POST', path: '/v1/charges', idempotencyKey: request.idempotencyKey, body },
      interpretCharge,
      options.signal,
    );
  }

  /** Refunds (part of) a charge; throws like {@link PaymentProviderClient.charge}. */
  async refund(request: RefundRequest, options: CallOptions = {}): Promise<RefundResult> {
    const body = { chargeId: request.chargeId, amount: request.amount };
    return this.#call(
      'refund',
      { method: 'POST', path: '/v1/refunds', idempotencyKey: request.idempotencyKey, body },
      interpretRefund,
      options.signal,
    );
  }

  /**
   * The charges the provider made for one of our references (the payment id), so a charge whose
   * answer was lost (a crash, a timeout) can be settled from the provider's records; throws like
   * {@link PaymentProviderClient.charge}.
   */
  async findCharges(reference: string, options: CallOptions = {}): Promise<ChargeLookupResult> {
    const path = `/v1/charges?reference=${encodeURIComponent(reference)}`;
    return this.#call('lookup', { method: 'GET', path }, interpretChargeList, options.signal);
  }

  async #call<T extends object>(
    operation: string,
    request: ProviderRequest,
    interpret: Interpret<T>,
    signal: AbortSignal | undefined,
  ): Promise<T & { attempts: AttemptRecord[] }> {
    const attempts: AttemptRecord[] = [];
    const log = this.#log.child({
      operation,
      ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
    });
    try {
      const value = await this.#policy.execute(
        (context) => this.#attempt(log, request, context, attempts, interpret),
        signal,
      );
      return { ...value, attempts: [...attempts] };
    } catch (err) {
      if (signal?.aborted) {
        throw new ProviderUnavailableError(UnavailableReason.Cancelled, [...attempts], err);
      }
      if (err instanceof BrokenCircuitError) {
        throw new ProviderUnavailableError(UnavailableReason.CircuitOpen, [...attempts], err);
      }
      if (err instanceof TransientFailure) {
        log.error(
          { attempts: attempts.length, lastError: err.message },
          'payment provider unavailable',
        );
        throw new ProviderUnavailableError(UnavailableReason.RetriesExhausted, [...attempts], err);
      }
      if (err instanceof Rejection) throw new ProviderRequestError(err.details, [...attempts]);
      throw err;
    }
  }

  async #attempt<T>(
    log: Logger,
    request: ProviderRequest,
    context: PolicyContext,
    attempts: AttemptRecord[],
    interpret: Interpret<T>,
  ): Promise<T> {
    const attempt = context.attempt + 1;
    const startedAt = new Date().toISOString();
    const started = performance.now();
    const record = (
      outcome: AttemptOutcome,
      extra: { statusCode?: number; error?: string },
    ): void => {
      const entry: AttemptRecord = {
        attempt,
        outcome,
        durationMs: Math.round(performance.now() - started),
        startedAt,
        ...extra,
      };
      attempts.push(entry);
      const level =
        entry.outcome === AttemptOutcome.Approved ||
        entry.outcome === AttemptOutcome.Refunded ||
        entry.outcome === AttemptOutcome.Retrieved
          ? 'info'
          : 'warn';
      log[level](entry, 'payment provider attempt');
    };

    let status: number;
    let text: string;
    try {
      const response = await fetch(`${this.#baseUrl}${request.path}`, {
        method: request.method,
        headers: {
          accept: 'application/json',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(request.idempotencyKey ? { 'idempotency-key': request.idempotencyKey } : {}),
        },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal: context.signal,
      });
      status = response.status;
      text = await response.text();
    } catch (err) {
      if (context.signal.aborted) {
        const error = `no answer within ${this.#timeoutMs} ms`;
        record(AttemptOutcome.Timeout, { error });
        throw new TransientFailure(AttemptOutcome.Timeout, error);
      }
      const error = describeTransportError(err);
      record(AttemptOutcome.NetworkError, { error });
      throw new TransientFailure(AttemptOutcome.NetworkError, error);
    }

    let json: unknown;
    try {
      json = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      json = undefined;
    }

    if (status >= 500) {
      const code = errorResponseSchema.safeParse(json).data?.error.code;
      const error = code ? `${status} ${code}` : `HTTP ${status}`;
      record(AttemptOutcome.ServerError, { statusCode: status, error });
      throw new TransientFailure(AttemptOutcome.ServerError, error);
    }
    try {
      const { value, outcome, error } = interpret(status, json);
      record(outcome, { statusCode: status, ...(error ? { error } : {}) });
      return value;
    } catch (err) {
      if (err instanceof Rejection) {
        record(AttemptOutcome.Rejected, { statusCode: status, error: err.details.code });
      } else if (err instanceof TransientFailure) {
        record(err.outcome, { statusCode: status, error: err.message });
      }
      throw err;
    }
  }
}

// A 4xx that is not a card error; an unreadable body still says which status it was.
function rejectionFrom(status: number, json: unknown): Rejection {
  const parsed = errorResponseSchema.safeParse(json);
  if (!parsed.success)
    return new Rejection({ status, code: `http_${status}`, message: `HTTP ${status}` });
  const { code, message, param } = parsed.data.error;
  return new Rejection({ status, code, message, param });
}

function invalidResponse(status: number): TransientFailure {
  return new TransientFailure(AttemptOutcome.InvalidResponse, `unreadable ${status} response body`);
}

function interpretCharge(status: number, json: unknown): Interpreted<ChargeOutcome> {
  const charge = chargeResponseSchema.safeParse(json);
  if ((status >= 200 && status < 300) || status === 402) {
    if (!charge.success) {
      // 402 with an error envelope is how some processors report a card error.
      const cardError = errorResponseSchema.safeParse(json);
      if (status === 402 && cardError.success) {
        const code = cardError.data.error.code;
        return { value: { kind: 'declined', code }, outcome: AttemptOutcome.Declined, error: code };
      }
      throw invalidResponse(status);
    }
    const c = charge.data;
    if (c.status === 'succeeded') {
      return {
        value: {
          kind: 'approved',
          chargeId: c.id,
          brand: toCardBrand(c.card.brand),
          last4: c.card.last4,
        },
        outcome: AttemptOutcome.Approved,
      };
    }
    const code = c.declineCode ?? 'card_declined';
    return {
      value: { kind: 'declined', code, chargeId: c.id },
      outcome: AttemptOutcome.Declined,
      error: code,
    };
  }
  const error = errorResponseSchema.safeParse(json);
  if (status >= 400 && error.success && error.data.error.type === 'card_error') {
    const code = error.data.error.code;
    return { value: { kind: 'declined', code }, outcome: AttemptOutcome.Declined, error: code };
  }
  throw rejectionFrom(status, json);
}

function interpretChargeList(
  status: number,
  json: unknown,
): Interpreted<Omit<ChargeLookupResult, 'attempts'>> {
  if (status < 200 || status >= 300) throw rejectionFrom(status, json);
  const list = chargeListResponseSchema.safeParse(json);
  if (!list.success) throw invalidResponse(status);
  const charges = list.data.data.map((c): ProviderCharge => ({
    chargeId: c.id,
    status: c.status,
    ...(c.declineCode ? { declineCode: c.declineCode } : {}),
    brand: toCardBrand(c.card.brand),
    last4: c.card.last4,
  }));
  return { value: { charges }, outcome: AttemptOutcome.Retrieved };
}

function interpretRefund(
  status: number,
  json: unknown,
): Interpreted<Omit<RefundResult, 'attempts'>> {
  if (status >= 200 && status < 300) {
    const refund = refundResponseSchema.safeParse(json);
    if (!refund.success) throw invalidResponse(status);
    const r = refund.data;
    return {
      value: { kind: 'refunded', refundId: r.id, chargeId: r.chargeId, amount: r.amount },
      outcome: AttemptOutcome.Refunded,
    };
  }
  throw rejectionFrom(status, json);
}
