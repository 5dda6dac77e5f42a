import { paymentResults, type EntityManager, type Logger, type MikroORM } from '@airline/shared';
import {
  AttemptOutcome,
  ProviderRequestError,
  ProviderUnavailableError,
  UnavailableReason,
  type AttemptRecord,
  type CardDetails,
  type ChargeResult,
  type PaymentProviderClient,
} from '../provider/index.ts';
import { FailureCode } from './failure-codes.ts';
import { Payment, PaymentOperation, PaymentStatus } from './payment.entity.ts';
import { settlePayment, type ChargeOutcome } from './settlement.ts';

/** The part of a new payment a charge needs. */
export interface ChargeTarget {
  id: string;
  amountMinor: number;
  currency: string;
}

/** What the runner needs. */
export interface ChargeRunnerOptions {
  orm: Pick<MikroORM, 'em'>;
  provider: PaymentProviderClient;
  logger: Logger;
}

// Outcomes after which the provider may have charged without us hearing the answer.
const AMBIGUOUS: ReadonlySet<AttemptOutcome> = new Set<AttemptOutcome>([
  AttemptOutcome.Timeout,
  AttemptOutcome.NetworkError,
  AttemptOutcome.ServerError,
  AttemptOutcome.InvalidResponse,
]);

/**
 * Charges cards in the background, after the payment row has committed, and settles each
 * payment when the provider has answered. The card exists only in the closure of its charge:
 * a crash loses it, and recovery settles the payment from the provider's records instead.
 */
export class ChargeRunner {
  readonly #orm: Pick<MikroORM, 'em'>;
  readonly #provider: PaymentProviderClient;
  readonly #log: Logger;
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #abort = new AbortController();

  constructor(options: ChargeRunnerOptions) {
    this.#orm = options.orm;
    this.#provider = options.provider;
    this.#log = options.logger.child({ component: 'charge-runner' });
  }

  /** Charges running now. */
  get size(): number {
    return this.#inFlight.size;
  }

  /** True while this process is charging the payment (recovery leaves it alone). */
  isCharging(paymentId: string): boolean {
    return this.#inFlight.has(paymentId);
  }

  /** Starts charging a committed PENDING payment; returns at once. */
  start(target: ChargeTarget, card: CardDetails): void {
    if (this.#abort.signal.aborted) throw new Error('the charge runner has stopped');
    const run = this.#charge(target, card)
      .catch((err: unknown) =>
        // Left PENDING: recovery settles it from the provider's records once its lease is over.
        this.#log.error(
          { err, paymentId: target.id },
          'charge could not be settled; recovery will',
        ),
      )
      .finally(() => this.#inFlight.delete(target.id));
    this.#inFlight.set(target.id, run);
  }

  /** Resolves when no charge is running (tests). */
  async idle(): Promise<void> {
    while (this.#inFlight.size) await Promise.allSettled([...this.#inFlight.values()]);
  }

  /**
   * Lets running charges finish for up to `graceMs`, then abandons the rest: their requests are
   * aborted and their payments stay PENDING for recovery, which asks the provider what happened.
   */
  async stop(graceMs: number): Promise<void> {
    const running = [...this.#inFlight.values()];
    if (running.length) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(running),
        new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
    }
    if (this.#inFlight.size) {
      this.#log.warn(
        { abandoned: [...this.#inFlight.keys()] },
        'stopping with charges in flight; recovery will settle them',
      );
    }
    this.#abort.abort();
    await Promise.allSettled([...this.#inFlight.values()]);
  }

  async #charge(target: ChargeTarget, card: CardDetails): Promise<void> {
    let result: ChargeResult;
    try {
      result = await this.#provider.charge(
        {
          amount: target.amountMinor,
          currency: target.currency,
          card,
          // The payment id is both our reference and the key: one payment, at most one charge.
          reference: target.id,
          idempotencyKey: target.id,
        },
        { signal: this.#abort.signal },
      );
    } catch (err) {
      if (err instanceof ProviderUnavailableError && err.reason === UnavailableReason.Cancelled) {
        this.#log.warn({ paymentId: target.id }, 'charge abandoned at shutdown');
        return;
      }
      const failure = failureOf(err);
      if (!failure) throw err;
      await this.#settle(target.id, failure.outcome, failure.attempts);
      return;
    }
    const outcome: ChargeOutcome =
      result.kind === 'approved'
        ? { kind: 'succeeded', chargeId: result.chargeId }
        : { kind: 'failed', code: result.code, reconcile: false };
    await this.#settle(target.id, outcome, result.attempts);
  }

  async #settle(
    paymentId: string,
    outcome: ChargeOutcome,
    attempts: AttemptRecord[],
  ): Promise<void> {
    const em: EntityManager = this.#orm.em.fork();
    const { settled, payment } = await settlePayment(em, paymentId, outcome, [
      { operation: PaymentOperation.CHARGE, attempts },
    ]);
    // Once per payment: a settlement another worker already made was counted there.
    if (settled)
      paymentResults().inc({ result: outcome.kind === 'succeeded' ? 'succeeded' : outcome.code });
    this.#log.info(
      { paymentId, status: payment?.status, failureReason: payment?.failureReason },
      settled ? 'payment settled' : 'payment was settled elsewhere',
    );
    if (!settled && outcome.kind === 'succeeded' && payment?.status === PaymentStatus.FAILED) {
      // Recovery gave up on this charge (its lease ran out) before the provider answered, so
      // money moved for a payment the booking saw fail: reconciliation gives it back.
      this.#log.error({ paymentId }, 'charge succeeded on a failed payment; marking for refund');
      await em.fork().nativeUpdate(Payment, { id: paymentId }, { needsReconciliation: true });
    }
  }
}

function failureOf(
  err: unknown,
): { outcome: ChargeOutcome; attempts: AttemptRecord[] } | undefined {
  if (err instanceof ProviderUnavailableError) {
    return {
      outcome: {
        kind: 'failed',
        code: FailureCode.ProviderUnavailable,
        reconcile: err.attempts.some((a) => AMBIGUOUS.has(a.outcome)),
      },
      attempts: err.attempts,
    };
  }
  if (err instanceof ProviderRequestError) {
    return {
      outcome: { kind: 'failed', code: err.code, reconcile: false },
      attempts: err.attempts,
    };
  }
  return undefined;
}
