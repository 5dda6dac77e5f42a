import { LockMode } from '@mikro-orm/core';
import { enqueue, type EntityManager } from '@airline/shared';
import type { AttemptRecord } from '../provider/index.ts';
import {
  Payment,
  PaymentAttempt,
  PaymentOperation,
  PaymentStatus,
  type PaymentEntity,
} from './payment.entity.ts';
import { paymentCompleted, paymentFailed } from './payment-events.ts';

/** How a charge ended, as far as the payment record is concerned. */
export type ChargeOutcome =
  | { kind: 'succeeded'; chargeId: string }
  | {
      kind: 'failed';
      code: string;
      /** The provider may have charged after all (timeouts): recovery must check and give it back. */
      reconcile: boolean;
    };

/** Provider requests made for one operation, to be stored with the payment. */
export interface AttemptBatch {
  operation: PaymentOperation;
  attempts: readonly AttemptRecord[];
}

/** What `settlePayment` did: `settled` only for the one caller that moved the payment on. */
export interface Settlement {
  settled: boolean;
  payment: PaymentEntity | null;
}

/** Adds provider attempts to the caller's unit of work (stored at its next flush). */
export function recordAttempts(em: EntityManager, paymentId: string, batch: AttemptBatch): void {
  for (const a of batch.attempts) {
    em.persist(
      em.create(PaymentAttempt, {
        paymentId,
        operation: batch.operation,
        attempt: a.attempt,
        outcome: a.outcome,
        statusCode: a.statusCode ?? null,
        error: a.error ?? null,
        durationMs: a.durationMs,
        startedAt: new Date(a.startedAt),
      }),
    );
  }
}

/**
 * Settles a PENDING payment in one transaction: final status, the provider attempts, and the
 * PaymentCompleted / PaymentFailed event in the outbox. The row lock makes the charge runner and
 * recovery (in any replica) agree on a single winner; a payment that is no longer PENDING is
 * left as it is, though the attempts are still recorded, since they happened.
 */
export async function settlePayment(
  em: EntityManager,
  paymentId: string,
  outcome: ChargeOutcome,
  batches: readonly AttemptBatch[],
): Promise<Settlement> {
  return em.transactional(async (tx) => {
    const payment = await tx.findOne(
      Payment,
      { id: paymentId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!payment) return { settled: false, payment: null };
    for (const batch of batches) recordAttempts(tx, paymentId, batch);
    if (payment.status !== PaymentStatus.PENDING) return { settled: false, payment };

    payment.attempts += batches
      .filter((b) => b.operation === PaymentOperation.CHARGE)
      .reduce((n, b) => n + b.attempts.length, 0);
    if (outcome.kind === 'succeeded') {
      payment.status = PaymentStatus.SUCCEEDED;
      payment.providerChargeId = outcome.chargeId;
      enqueue(tx, paymentCompleted(payment));
    } else {
      payment.status = PaymentStatus.FAILED;
      payment.failureReason = outcome.code;
      payment.needsReconciliation = outcome.reconcile;
      enqueue(tx, paymentFailed(payment));
    }
    return { settled: true, payment };
  });
}
