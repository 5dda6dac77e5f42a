import { UniqueConstraintViolationException } from '@mikro-orm/core';
import {
  appError,
  ErrorCode,
  forbidden,
  isAgent,
  parseInput,
  type AuthUser,
  type EntityManager,
  type PaymentReceipt,
} from '@airline/shared';
import { cardBrand, last4, type PaymentProviderClient } from '../provider/index.ts';
import type { ChargeRunner } from './charge-runner.ts';
import { Payment, PaymentStatus, type PaymentEntity } from './payment.entity.ts';
import { paymentRequestSchema, requestFingerprint } from './payment-request.ts';

/** What the caller of a payment request learns: the payment and how its charge stands. */
export type { PaymentReceipt };

/** Who asks for a payment: the calling service and the end user it acts for (null: itself). */
export interface PaymentCaller {
  service: string;
  user: AuthUser | null;
}

/** What the intake needs. */
export interface PaymentIntakeOptions {
  provider: Pick<PaymentProviderClient, 'failingFast'>;
  runner: Pick<ChargeRunner, 'start' | 'size'>;
  /** How long a charge may take before recovery may settle its payment from the provider's records. */
  chargeLeaseMs: number;
  /** Charges running at once before new payments are refused (a bulkhead for the provider). */
  maxInFlightCharges: number;
}

const IDEMPOTENCY_CONSTRAINT = 'payment_idempotency_unique';

/**
 * Takes payment requests: validates, stores the PENDING payment, and hands the card to the
 * charge runner after the row has committed, so the answer never waits for the provider.
 */
export class PaymentIntake {
  readonly #options: PaymentIntakeOptions;

  constructor(options: PaymentIntakeOptions) {
    this.#options = options;
  }

  /**
   * Requests a payment for the end user the calling service acts for. The same key with the same
   * request returns the same payment (its current status) and never charges again; the same key
   * with another request, or a booking that already has a payment in progress or paid, is
   * IDEMPOTENCY_CONFLICT. An open provider circuit or a full bulkhead is PAYMENT_UNAVAILABLE with
   * nothing stored.
   */
  async request(em: EntityManager, caller: PaymentCaller, raw: unknown): Promise<PaymentReceipt> {
    const input = parseInput(paymentRequestSchema, raw);
    // The body is the calling service's word; the credential names whom it acts for. A customer
    // id that is not that user's (an agent may pay for anyone) is refused, whatever the body says.
    const user = caller.user;
    if (!user || (user.id !== input.customerId && !isAgent(user))) {
      throw forbidden('You may only pay for your own bookings');
    }
    const fingerprint = requestFingerprint(input);
    const key = { customerId: input.customerId, idempotencyKey: input.idempotencyKey };
    const existing = await em.findOne(Payment, key);
    if (existing) return replay(existing, fingerprint);

    if (this.#options.provider.failingFast) {
      throw appError(
        ErrorCode.PAYMENT_UNAVAILABLE,
        'The payment provider is unavailable; no payment was taken, try again in a moment',
      );
    }
    if (this.#options.runner.size >= this.#options.maxInFlightCharges) {
      throw appError(
        ErrorCode.PAYMENT_UNAVAILABLE,
        'Too many payments are in progress; no payment was taken, try again in a moment',
      );
    }

    const payment = em.create(Payment, {
      ...key,
      bookingId: input.bookingId,
      requestHash: fingerprint,
      amountMinor: input.amount.amountMinor,
      currency: input.amount.currency,
      status: PaymentStatus.PENDING,
      cardBrand: cardBrand(input.card.number),
      cardLast4: last4(input.card.number),
      chargeLeaseUntil: new Date(Date.now() + this.#options.chargeLeaseMs),
    });
    try {
      await em.flush();
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      em.clear();
      if (constraintOf(err) === IDEMPOTENCY_CONSTRAINT) {
        // A concurrent request with the same key won the insert: answer as its replay.
        const winner = await em.findOne(Payment, key);
        if (winner) return replay(winner, fingerprint);
      }
      throw appError(
        ErrorCode.IDEMPOTENCY_CONFLICT,
        `Booking ${input.bookingId} already has a payment in progress or paid`,
        { bookingId: input.bookingId },
      );
    }
    this.#options.runner.start(payment, input.card);
    return { paymentId: payment.id, status: PaymentStatus.PENDING };
  }
}

function replay(payment: PaymentEntity, fingerprint: string): PaymentReceipt {
  if (payment.requestHash !== fingerprint) {
    throw appError(
      ErrorCode.IDEMPOTENCY_CONFLICT,
      'This idempotency key was already used for a different payment request',
    );
  }
  return { paymentId: payment.id, status: receiptStatus(payment.status) };
}

/** The charge's outcome: a refunded payment was still successfully charged. */
function receiptStatus(status: PaymentStatus): PaymentReceipt['status'] {
  if (status === PaymentStatus.PENDING || status === PaymentStatus.FAILED) return status;
  return PaymentStatus.SUCCEEDED;
}

// The driver exception carries PostgreSQL's own fields, the violated constraint among them.
function constraintOf(err: UniqueConstraintViolationException): string | undefined {
  const constraint = (err as { constraint?: unknown }).constraint;
  return typeof constraint === 'string' ? constraint : undefined;
}
