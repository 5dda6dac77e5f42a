import { LockMode } from '@mikro-orm/core';
import {
  enqueue,
  PermanentError,
  type CommandEnvelope,
  type EntityManager,
  type Logger,
  type MikroORM,
} from '@airline/shared';
import {
  ProviderRequestError,
  type PaymentProviderClient,
  type RefundResult,
} from '../provider/index.ts';
import {
  Payment,
  PaymentOperation,
  PaymentStatus,
  Refund,
  RefundStatus,
  type RefundEntity,
} from './payment.entity.ts';
import { paymentRefunded } from './payment-events.ts';
import { recordAttempts } from './settlement.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The provider key of the refund a command asks for: a redelivered command never refunds twice. */
export const refundKeyOf = (command: Pick<CommandEnvelope<'RefundPayment'>, 'id'>): string =>
  `refund:${command.id}`;

/** Thrown while the payment is still being charged: the command is retried once it has settled. */
export class PaymentNotSettledError extends Error {
  override name = 'PaymentNotSettledError';
}

/** What applying a command found when it reserved its refund. */
type Reservation =
  | { kind: 'nothing' }
  | { kind: 'done'; refund: RefundEntity }
  | { kind: 'reserved'; refund: RefundEntity; chargeId: string };

/**
 * Refunds payments on request (the RefundPayment command of the booking saga), in three steps so
 * that no row lock is held while the provider is asked:
 *
 *   1. reserve: with the payment row locked, validate the command and store a PENDING refund
 *      under the command's provider key, counting it against what is left to refund; commit;
 *   2. call the provider with no transaction of ours open on the payment (its key makes the call
 *      idempotent: a retried or redelivered command never refunds twice);
 *   3. record: with the rows locked again, the refund SUCCEEDED, the payment's refunded total and
 *      status, and PaymentRefunded through the outbox, in one transaction.
 *
 * A crash between the steps leaves the PENDING refund: the command, not yet acknowledged, is
 * redelivered, finds its reservation by key and carries on from step 2.
 */
export class Refunds {
  readonly #orm: Pick<MikroORM, 'em'>;
  readonly #provider: Pick<PaymentProviderClient, 'refund'>;
  readonly #log: Logger;

  constructor(
    orm: Pick<MikroORM, 'em'>,
    provider: Pick<PaymentProviderClient, 'refund'>,
    logger: Logger,
  ) {
    this.#orm = orm;
    this.#provider = provider;
    this.#log = logger.child({ component: 'refunds' });
  }

  /**
   * Applies one RefundPayment. Returns the refund, or null when there is nothing to refund (the
   * command is acknowledged). Throws PermanentError for a command that can never apply, and the
   * provider's unavailability as is (the reservation stays, so the consumer's retry resumes it).
   */
  async apply(command: CommandEnvelope<'RefundPayment'>): Promise<RefundEntity | null> {
    const { paymentId, bookingId } = command.payload;
    const log = this.#log.child({ commandId: command.id, paymentId, bookingId });
    const reservation = await this.#orm.em
      .fork()
      .transactional((tx) => this.#reserve(tx, command, log));
    if (reservation.kind === 'nothing') return null;
    if (reservation.kind === 'done') return reservation.refund;

    const { refund, chargeId } = reservation;
    let result: RefundResult;
    try {
      result = await this.#provider.refund({
        chargeId,
        amount: refund.amountMinor,
        idempotencyKey: refund.idempotencyKey,
      });
    } catch (err) {
      if (err instanceof ProviderRequestError) {
        // The provider refused for good: nothing moved, so the reserved amount is free again.
        await this.#orm.em
          .fork()
          .nativeUpdate(
            Refund,
            { id: refund.id, status: RefundStatus.PENDING },
            { status: RefundStatus.FAILED },
          );
        throw new PermanentError(err.message);
      }
      throw err;
    }
    return this.#orm.em.fork().transactional((tx) => this.#record(tx, refund.id, result, log));
  }

  async #reserve(
    tx: EntityManager,
    command: CommandEnvelope<'RefundPayment'>,
    log: Logger,
  ): Promise<Reservation> {
    const { paymentId, bookingId, amount, reason } = command.payload;
    if (!UUID.test(paymentId)) throw new PermanentError(`payment id ${paymentId} is not a UUID`);
    const payment = await tx.findOne(
      Payment,
      { id: paymentId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!payment) throw new PermanentError(`payment ${paymentId} does not exist`);
    if (payment.bookingId !== bookingId) {
      throw new PermanentError(`payment ${paymentId} belongs to booking ${payment.bookingId}`);
    }
    const idempotencyKey = refundKeyOf(command);
    const earlier = await tx.findOne(Refund, { idempotencyKey });
    if (earlier) {
      // This command was reserved before (a crash or a provider outage interrupted it).
      if (earlier.status === RefundStatus.SUCCEEDED) return { kind: 'done', refund: earlier };
      if (earlier.status === RefundStatus.FAILED) return { kind: 'nothing' };
      return { kind: 'reserved', refund: earlier, chargeId: payment.providerChargeId! };
    }
    if (payment.status === PaymentStatus.PENDING) {
      // A booking cancelled while its card is being charged: wait for the charge to settle.
      throw new PaymentNotSettledError(`payment ${paymentId} is still being charged`);
    }
    const remaining = payment.amountMinor - payment.refundedMinor - (await reserved(tx, paymentId));
    if (
      (payment.status !== PaymentStatus.SUCCEEDED &&
        payment.status !== PaymentStatus.PARTIALLY_REFUNDED) ||
      remaining <= 0
    ) {
      log.info({ status: payment.status }, 'nothing to refund');
      return { kind: 'nothing' };
    }
    if (amount && amount.currency !== payment.currency) {
      throw new PermanentError(`refund in ${amount.currency} of a ${payment.currency} payment`);
    }
    const wanted = amount?.amountMinor ?? remaining;
    if (!Number.isSafeInteger(wanted) || wanted <= 0 || wanted > remaining) {
      throw new PermanentError(`cannot refund ${wanted}: ${remaining} of the payment is left`);
    }
    if (!payment.providerChargeId) {
      throw new PermanentError(`payment ${paymentId} succeeded without a provider charge id`);
    }
    const refund = tx.create(Refund, {
      paymentId,
      amountMinor: wanted,
      currency: payment.currency,
      status: RefundStatus.PENDING,
      reason,
      idempotencyKey,
      providerRefundId: null,
    });
    tx.persist(refund);
    return { kind: 'reserved', refund, chargeId: payment.providerChargeId };
  }

  async #record(
    tx: EntityManager,
    refundId: string,
    result: RefundResult,
    log: Logger,
  ): Promise<RefundEntity> {
    const refund = await tx.findOneOrFail(
      Refund,
      { id: refundId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    const payment = await tx.findOneOrFail(
      Payment,
      { id: refund.paymentId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    recordAttempts(tx, payment.id, {
      operation: PaymentOperation.REFUND,
      attempts: result.attempts,
    });
    // Recorded already by another delivery of the same command: the provider answered it the same.
    if (refund.status !== RefundStatus.PENDING) return refund;
    refund.status = RefundStatus.SUCCEEDED;
    refund.amountMinor = result.amount;
    refund.providerRefundId = result.refundId;
    payment.refundedMinor += result.amount;
    payment.status =
      payment.refundedMinor >= payment.amountMinor
        ? PaymentStatus.REFUNDED
        : PaymentStatus.PARTIALLY_REFUNDED;
    enqueue(tx, paymentRefunded(payment, refund));
    log.info({ amountMinor: result.amount, status: payment.status }, 'payment refunded');
    return refund;
  }
}

/** Money of a payment reserved by refunds still waiting for the provider. */
async function reserved(tx: EntityManager, paymentId: string): Promise<number> {
  const pending = await tx.find(Refund, { paymentId, status: RefundStatus.PENDING });
  return pending.reduce((sum, r) => sum + r.amountMinor, 0);
}
