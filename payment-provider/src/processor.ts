import { createHash, randomBytes } from 'node:crypto';
import { brandOf, isExpired, passesLuhn, Brand } from './card-rules.ts';
import {
  chargeRequestSchema,
  firstIssue,
  refundRequestSchema,
  type ChargeRequest,
  type RefundRequest,
} from './requests.ts';
import { scenarioFor, type DeclineCode } from './test-cards.ts';

/** Error families on the wire; a client retries none of them except `api_error`. */
export const ErrorType = {
  InvalidRequest: 'invalid_request_error',
  Card: 'card_error',
  Idempotency: 'idempotency_error',
  Api: 'api_error',
} as const;
/** One error family. */
export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];

/** JSON body of every non-2xx answer that is not a declined charge. */
export interface ApiErrorBody {
  error: { type: ErrorType; code: string; message: string; param?: string };
}

/** A charge as the API shows it; only brand and last four digits of the card ever leave. */
export interface ChargeView {
  id: string;
  status: 'succeeded' | 'declined';
  declineCode?: DeclineCode;
  amount: number;
  currency: string;
  reference: string;
  amountRefunded: number;
  card: { brand: Brand; last4: string; expMonth: number; expYear: number };
  createdAt: string;
}

/** A refund as the API shows it. */
export interface RefundView {
  id: string;
  chargeId: string;
  amount: number;
  currency: string;
  status: 'succeeded';
  createdAt: string;
}

/** What the HTTP layer should do: answer now, or hold the connection and answer later. */
export type Outcome =
  | { kind: 'respond'; status: number; body: unknown; replayed: boolean }
  | { kind: 'stall'; ms: number; status: number; body: ApiErrorBody };

/** Counters that let tests prove a card was never charged twice. */
export interface ProcessorStats {
  charges: { requests: number; succeeded: number; declined: number; failed: number };
  refunds: { requests: number; succeeded: number };
  /** Validated `POST /v1/charges` requests per reference, replays and failures included. */
  requestsByReference: Record<string, number>;
  /** Charges that actually moved money, per reference. */
  succeededByReference: Record<string, number>;
}

/** Settings of one simulated processor. */
export interface ProcessorOptions {
  /** How long a stalled request is held before it answers 504. */
  slowResponseMs: number;
  /** Clock for expiry checks and timestamps. */
  now?: () => Date;
}

interface KeyRecord {
  fingerprint: string;
  requests: number;
  stored?: Outcome & { kind: 'respond' };
}

interface Processed {
  outcome: Outcome;
  /** Only results that changed state are replayed; failures leave the key free to retry. */
  store: boolean;
}

const respond = (status: number, body: unknown): Outcome => ({
  kind: 'respond',
  status,
  body,
  replayed: false,
});

const apiError = (
  status: number,
  type: ErrorType,
  code: string,
  message: string,
  param?: string,
): Outcome => respond(status, { error: { type, code, message, ...(param ? { param } : {}) } });

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const newId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('hex')}`;

/** The in-memory card processor behind the simulator's HTTP API; it knows nothing of HTTP. */
export class Processor {
  readonly #slowResponseMs: number;
  readonly #now: () => Date;
  readonly #charges = new Map<string, ChargeView>();
  readonly #keys = new Map<string, KeyRecord>();
  readonly #stats: ProcessorStats = {
    charges: { requests: 0, succeeded: 0, declined: 0, failed: 0 },
    refunds: { requests: 0, succeeded: 0 },
    requestsByReference: {},
    succeededByReference: {},
  };

  constructor(options: ProcessorOptions) {
    this.#slowResponseMs = options.slowResponseMs;
    this.#now = options.now ?? (() => new Date());
  }

  /** `POST /v1/charges`. */
  createCharge(idempotencyKey: string | undefined, body: unknown): Outcome {
    this.#stats.charges.requests++;
    const keyProblem = checkIdempotencyKey(idempotencyKey);
    if (keyProblem) return keyProblem;
    const parsed = chargeRequestSchema.safeParse(body);
    if (!parsed.success) return invalidRequest(parsed.error);
    const request = parsed.data;
    const ref = request.reference;
    this.#stats.requestsByReference[ref] = (this.#stats.requestsByReference[ref] ?? 0) + 1;
    const cardProblem = this.#checkCard(request.card);
    if (cardProblem) return cardProblem;
    return this.#idempotent('charges', idempotencyKey!, request, (attempt) =>
      this.#processCharge(request, attempt),
    );
  }

  /** `POST /v1/refunds`. */
  createRefund(idempotencyKey: string | undefined, body: unknown): Outcome {
    this.#stats.refunds.requests++;
    const keyProblem = checkIdempotencyKey(idempotencyKey);
    if (keyProblem) return keyProblem;
    const parsed = refundRequestSchema.safeParse(body);
    if (!parsed.success) return invalidRequest(parsed.error);
    const request = parsed.data;
    return this.#idempotent('refunds', idempotencyKey!, request, () =>
      this.#processRefund(request),
    );
  }

  /** `GET /v1/charges/:id`. */
  getCharge(id: string): Outcome {
    const charge = this.#charges.get(id);
    return charge
      ? respond(200, charge)
      : apiError(404, ErrorType.InvalidRequest, 'charge_not_found', `No charge ${id}`);
  }

  /**
   * `GET /v1/charges?reference=…`: every charge made for one of the merchant's references, oldest
   * first, declined ones included. A merchant that lost track of a request (a crash mid-charge)
   * asks this to learn whether money moved before deciding what its own record says.
   */
  listCharges(reference: string | null): Outcome {
    if (!reference) {
      return apiError(
        400,
        ErrorType.InvalidRequest,
        'parameter_missing',
        'Give the reference to look up as ?reference=…',
        'reference',
      );
    }
    const data = [...this.#charges.values()].filter((c) => c.reference === reference);
    return respond(200, { object: 'list', data });
  }

  /** `GET /v1/stats`: a copy, so callers can compare snapshots. */
  stats(): ProcessorStats {
    return structuredClone(this.#stats);
  }

  #checkCard(card: ChargeRequest['card']): Outcome | undefined {
    if (!/^\d{12,19}$/.test(card.number) || !passesLuhn(card.number)) {
      return apiError(
        400,
        ErrorType.Card,
        'invalid_card_number',
        'The card number is not a valid card number',
        'card.number',
      );
    }
    const cvcLength = brandOf(card.number) === Brand.Amex ? 4 : 3;
    if (!new RegExp(`^\\d{${cvcLength}}$`).test(card.cvc)) {
      return apiError(
        400,
        ErrorType.Card,
        'invalid_cvc',
        `The CVC must be ${cvcLength} digits`,
        'card.cvc',
      );
    }
    if (isExpired(card.expMonth, card.expYear, this.#now())) {
      return apiError(400, ErrorType.Card, 'expired_card', 'The card has expired', 'card.expYear');
    }
    return undefined;
  }

  // Keys are scoped per endpoint, as with real processors, so a charge key can never replay a refund.
  #idempotent(
    scope: string,
    key: string,
    request: unknown,
    process: (attempt: number) => Processed,
  ): Outcome {
    const fingerprint = createHash('sha256').update(canonicalJson(request)).digest('hex');
    const scopedKey = `${scope}:${key}`;
    let record = this.#keys.get(scopedKey);
    if (record && record.fingerprint !== fingerprint) {
      return apiError(
        409,
        ErrorType.Idempotency,
        'idempotency_conflict',
        'This Idempotency-Key was already used with a different request body',
      );
    }
    if (record?.stored) return { ...record.stored, replayed: true };
    if (!record) {
      record = { fingerprint, requests: 0 };
      this.#keys.set(scopedKey, record);
    }
    record.requests++;
    const { outcome, store } = process(record.requests);
    if (store && outcome.kind === 'respond') record.stored = outcome;
    return outcome;
  }

  #processCharge(request: ChargeRequest, attempt: number): Processed {
    const scenario = scenarioFor(request.card.number);
    if (scenario.kind === 'unavailable') {
      this.#stats.charges.failed++;
      return {
        outcome: apiError(
          503,
          ErrorType.Api,
          'processor_unavailable',
          'The card network is unavailable',
        ),
        store: false,
      };
    }
    if (scenario.kind === 'stall_then_approve' && attempt <= scenario.stalledAttempts) {
      this.#stats.charges.failed++;
      return {
        outcome: {
          kind: 'stall',
          ms: this.#slowResponseMs,
          status: 504,
          body: {
            error: {
              type: ErrorType.Api,
              code: 'processor_timeout',
              message: 'The card network did not answer in time',
            },
          },
        },
        store: false,
      };
    }
    const declineCode = scenario.kind === 'decline' ? scenario.code : undefined;
    const charge: ChargeView = {
      id: newId('ch'),
      status: declineCode ? 'declined' : 'succeeded',
      ...(declineCode ? { declineCode } : {}),
      amount: request.amount,
      currency: request.currency,
      reference: request.reference,
      amountRefunded: 0,
      card: {
        brand: brandOf(request.card.number),
        last4: request.card.number.slice(-4),
        expMonth: request.card.expMonth,
        expYear: request.card.expYear,
      },
      createdAt: this.#now().toISOString(),
    };
    this.#charges.set(charge.id, charge);
    if (declineCode) {
      this.#stats.charges.declined++;
    } else {
      this.#stats.charges.succeeded++;
      const ref = request.reference;
      this.#stats.succeededByReference[ref] = (this.#stats.succeededByReference[ref] ?? 0) + 1;
    }
    // 402 for a decline follows the big processors: the request was fine, the card was not.
    return { outcome: respond(declineCode ? 402 : 201, { ...charge }), store: true };
  }

  #processRefund(request: RefundRequest): Processed {
    const charge = this.#charges.get(request.chargeId);
    if (!charge) {
      return {
        outcome: apiError(
          404,
          ErrorType.InvalidRequest,
          'charge_not_found',
          `No charge ${request.chargeId}`,
          'chargeId',
        ),
        store: false,
      };
    }
    if (charge.status !== 'succeeded') {
      return {
        outcome: apiError(
          400,
          ErrorType.InvalidRequest,
          'charge_not_refundable',
          'A declined charge cannot be refunded',
          'chargeId',
        ),
        store: false,
      };
    }
    const refundable = charge.amount - charge.amountRefunded;
    if (request.amount > refundable) {
      return {
        outcome: apiError(
          400,
          ErrorType.InvalidRequest,
          'refund_exceeds_charge',
          `Refund of ${request.amount} exceeds the ${refundable} still refundable on ${charge.id}`,
          'amount',
        ),
        store: false,
      };
    }
    charge.amountRefunded += request.amount;
    const refund: RefundView = {
      id: newId('re'),
      chargeId: charge.id,
      amount: request.amount,
      currency: charge.currency,
      status: 'succeeded',
      createdAt: this.#now().toISOString(),
    };
    this.#stats.refunds.succeeded++;
    return { outcome: respond(201, refund), store: true };
  }
}

function checkIdempotencyKey(key: string | undefined): Outcome | undefined {
  if (key && key.length <= 255) return undefined;
  return apiError(
    400,
    ErrorType.InvalidRequest,
    'idempotency_key_required',
    'Send an Idempotency-Key header (1 to 255 characters) with every POST',
  );
}

function invalidRequest(error: Parameters<typeof firstIssue>[0]): Outcome {
  const { param, message } = firstIssue(error);
  return apiError(400, ErrorType.InvalidRequest, 'parameter_invalid', message, param);
}
