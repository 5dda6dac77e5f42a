import { LockMode } from '@mikro-orm/core';
import type { Logger, MikroORM } from '@airline/shared';
import {
  ProviderRequestError,
  ProviderUnavailableError,
  type PaymentProviderClient,
  type RefundResult,
} from '../provider/index.ts';
import { FailureCode } from './failure-codes.ts';
import {
  Payment,
  PaymentOperation,
  PaymentStatus,
  Refund,
  RefundStatus,
  type PaymentEntity,
} from './payment.entity.ts';
import { recordAttempts, settlePayment, type ChargeOutcome } from './settlement.ts';

/** What recovery needs. */
export interface PaymentRecoveryOptions {
  orm: Pick<MikroORM, 'em'>;
  provider: PaymentProviderClient;
  logger: Logger;
  /** Payments this process is charging right now; recovery never touches those. */
  isCharging: (paymentId: string) => boolean;
  /** Pause between sweeps; the first runs at start. */
  intervalMs: number;
  /**
   * How long after a doubtful failure the provider is asked about it: a request that timed out
   * on our side may still be completing on the provider's.
   */
  reconcileAfterMs: number;
  /** Payments looked at per sweep and kind. */
  batchSize?: number;
}

/** What one sweep did. */
export interface SweepReport {
  /** PENDING payments settled from the provider's records. */
  resumed: number;
  /** Failed payments checked for a charge that went through after all. */
  reconciled: number;
}

/** The key of the refund that gives back a charge made for a failed payment. */
export const voidRefundKey = (paymentId: string): string => `void:${paymentId}`;

/**
 * Makes sure no payment stays PENDING forever and no failed payment keeps money:
 * - a PENDING payment whose charge lease ran out (the process charging it crashed or stopped)
 *   is settled from the provider's records: SUCCEEDED if a charge went through, FAILED with the
 *   decline code if it was declined, FAILED `payment_interrupted` if the provider never saw it;
 * - a FAILED payment whose charge ended ambiguously (timeouts) is looked up and, if the provider
 *   did charge it, refunded.
 * Sweeps run at start-up and then periodically, so replicas and restarts need no coordination:
 * settling is conditional on the row still being PENDING, and refunds carry a fixed key.
 */
export class PaymentRecovery {
  readonly #orm: Pick<MikroORM, 'em'>;
  readonly #provider: PaymentProviderClient;
  readonly #log: Logger;
  readonly #isCharging: (paymentId: string) => boolean;
  readonly #intervalMs: number;
  readonly #reconcileAfterMs: number;
  readonly #batchSize: number;
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<SweepReport> | undefined;
  #stopped = false;

  constructor(options: PaymentRecoveryOptions) {
    this.#orm = options.orm;
    this.#provider = options.provider;
    this.#log = options.logger.child({ component: 'payment-recovery' });
    this.#isCharging = options.isCharging;
    this.#intervalMs = options.intervalMs;
    this.#reconcileAfterMs = options.reconcileAfterMs;
    this.#batchSize = options.batchSize ?? 100;
  }

  /** Runs a sweep now and then every interval, in the background. */
  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Stops sweeping, waiting for a sweep in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#sweeping?.catch(() => undefined);
  }

  /** One sweep (or the one already running); resolves with what it did. */
  sweep(): Promise<SweepReport> {
    this.#sweeping ??= this.#sweep().finally(() => {
      this.#sweeping = undefined;
    });
    return this.#sweeping;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.sweep()
        .catch((err: unknown) => this.#log.error({ err }, 'payment recovery sweep failed'))
        .finally(() => this.#schedule(this.#intervalMs));
    }, delayMs);
    this.#timer.unref();
  }

  async #sweep(): Promise<SweepReport> {
    const report: SweepReport = { resumed: 0, reconciled: 0 };
    const em = this.#orm.em.fork();
    const stale = await em.find(
      Payment,
      { status: PaymentStatus.PENDING, chargeLeaseUntil: { $lt: new Date() } },
      { orderBy: { chargeLeaseUntil: 'asc' }, limit: this.#batchSize },
    );
    for (const payment of stale) {
      if (this.#stopped || this.#provider.failingFast) break;
      if (this.#isCharging(payment.id)) continue;
      if (await this.#guard(payment, () => this.#resume(payment))) report.resumed++;
    }
    const doubtful = await em.find(
      Payment,
      {
        needsReconciliation: true,
        updatedAt: { $lt: new Date(Date.now() - this.#reconcileAfterMs) },
      },
      { orderBy: { updatedAt: 'asc' }, limit: this.#batchSize },
    );
    for (const payment of doubtful) {
      if (this.#stopped || this.#provider.failingFast) break;
      if (await this.#guard(payment, () => this.#reconcile(payment))) report.reconciled++;
    }
    if (report.resumed || report.reconciled) this.#log.info(report, 'payment recovery sweep');
    return report;
  }

  // The provider being away is expected here and only postpones the work to the next sweep.
  async #guard(payment: PaymentEntity, work: () => Promise<void>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (err) {
      const level = err instanceof ProviderUnavailableError ? 'warn' : 'error';
      this.#log[level]({ err, paymentId: payment.id }, 'payment recovery postponed');
      return false;
    }
  }

  async #resume(payment: PaymentEntity): Promise<void> {
    const lookup = await this.#provider.findCharges(payment.id);
    const charged = lookup.charges.find((c) => c.status === 'succeeded');
    const declined = lookup.charges.at(-1);
    const outcome: ChargeOutcome = charged
      ? { kind: 'succeeded', chargeId: charged.chargeId }
      : {
          kind: 'failed',
          code: declined
            ? (declined.declineCode ?? FailureCode.CardDeclined)
            : FailureCode.PaymentInterrupted,
          reconcile: false,
        };
    const { settled } = await settlePayment(this.#orm.em.fork(), payment.id, outcome, [
      { operation: PaymentOperation.LOOKUP, attempts: lookup.attempts },
    ]);
    if (settled) {
      this.#log.warn(
        { paymentId: payment.id, outcome: outcome.kind, charges: lookup.charges.length },
        'interrupted payment settled from the provider’s records',
      );
    }
  }

  async #reconcile(payment: PaymentEntity): Promise<void> {
    const lookup = await this.#provider.findCharges(payment.id);
    const charged = lookup.charges.find((c) => c.status === 'succeeded');
    const given = charged ? await this.#giveBack(payment, charged.chargeId) : undefined;
    await this.#orm.em.fork().transactional(async (tx) => {
      recordAttempts(tx, payment.id, {
        operation: PaymentOperation.LOOKUP,
        attempts: lookup.attempts,
      });
      const row = await tx.findOne(
        Payment,
        { id: payment.id },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!row) return;
      row.needsReconciliation = false;
      if (!given || !charged) return;
      recordAttempts(tx, payment.id, {
        operation: PaymentOperation.REFUND,
        attempts: given.attempts,
      });
      row.providerChargeId = charged.chargeId;
      const key = voidRefundKey(payment.id);
      if (await tx.count(Refund, { idempotencyKey: key })) return;
      row.refundedMinor = row.amountMinor;
      tx.persist(
        tx.create(Refund, {
          paymentId: payment.id,
          amountMinor: given.amount,
          currency: row.currency,
          status: RefundStatus.SUCCEEDED,
          reason: 'The charge went through after the payment had failed; refunded automatically',
          idempotencyKey: key,
          providerRefundId: given.refundId,
        }),
      );
    });
    if (given) {
      this.#log.error(
        { paymentId: payment.id, chargeId: charged?.chargeId },
        'a failed payment had been charged; the charge was refunded',
      );
    }
  }

  async #giveBack(payment: PaymentEntity, chargeId: string): Promise<RefundResult | undefined> {
    try {
      return await this.#provider.refund({
        chargeId,
        amount: payment.amountMinor,
        idempotencyKey: voidRefundKey(payment.id),
      });
    } catch (err) {
      // Refused (e.g. refunded by hand already): nothing more an automatic refund can do.
      if (err instanceof ProviderRequestError) {
        this.#log.error(
          { err, paymentId: payment.id },
          'could not refund a failed payment’s charge',
        );
        return undefined;
      }
      throw err;
    }
  }
}
