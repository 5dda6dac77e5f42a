import { LockMode } from '@mikro-orm/core';
import {
  enqueue,
  PermanentError,
  type CommandEnvelope,
  type EntityManager,
  type Logger,
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

/** Refunds payments on request (the RefundPayment command of the booking saga). */
export class Refunds {
  readonly #provider: PaymentProviderClient;
  readonly #log: Logger;

  constructor(provider: PaymentProviderClient, logger: Logger) {
    this.#provider = provider;
    this.#log = logger.child({ component: 'refunds' });
  }

  /**
   * Applies one RefundPayment inside the caller's transaction (the inbox's): refunds through the
   * provider, stores the refund, moves the payment to REFUNDED / PARTIALLY_REFUNDED and enqueues
   * PaymentRefunded. Returns null when there is nothing to refund (the command is acknowledged).
   * Throws PermanentError for a command that can never apply, and the provider's unavailability
   * as is, so the consumer retries with backoff.
   */
  async apply(
    em: EntityManager,
    command: CommandEnvelope<'RefundPayment'>,
  ): Promise<RefundEntity | null> {
    const { paymentId, bookingId, amount, reason } = command.payload;
    const log = this.#log.child({ commandId: command.id, paymentId, bookingId });
    if (!UUID.test(paymentId)) throw new PermanentError(`payment id ${paymentId} is not a UUID`);
    const payment = await em.findOne(
      Payment,
      { id: paymentId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!payment) throw new PermanentError(`payment ${paymentId} does not exist`);
    if (payment.bookingId !== bookingId) {
      throw new PermanentError(`payment ${paymentId} belongs to booking ${payment.bookingId}`);
    }
    if (payment.status === PaymentStatus.PENDING) {
      // A booking cancelled while its card is being charged: wait for the charge to settle.
      throw new PaymentNotSettledError(`payment ${paymentId} is still being charged`);
    }
    const remaining = payment.amountMinor - payment.refundedMinor;
    if (
      (payment.status !== PaymentStatus.SUCCEEDED &&
        payment.status !== PaymentStatus.PARTIALLY_REFUNDED) ||
      remaining === 0
    ) {
      log.info({ status: payment.status }, 'nothing to refund');
      return null;
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

    const idempotencyKey = refundKeyOf(command);
    let result: RefundResult;
    try {
      result = await this.#provider.refund({
        chargeId: payment.providerChargeId,
        amount: wanted,
        idempotencyKey,
      });
    } catch (err) {
      if (err instanceof ProviderRequestError) throw new PermanentError(err.message);
      throw err;
    }

    const refund = em.create(Refund, {
      paymentId,
      amountMinor: result.amount,
      currency: payment.currency,
      status: RefundStatus.SUCCEEDED,
      reason,
      idempotencyKey,
      providerRefundId: result.refundId,
    });
    em.persist(refund);
    recordAttempts(em, paymentId, {
      operation: PaymentOperation.REFUND,
      attempts: result.attempts,
    });
    payment.refundedMinor += result.amount;
    payment.status =
      payment.refundedMinor >= payment.amountMinor
        ? PaymentStatus.REFUNDED
        : PaymentStatus.PARTIALLY_REFUNDED;
    enqueue(em, paymentRefunded(payment, refund));
    log.info({ amountMinor: result.amount, status: payment.status }, 'payment refunded');
    return refund;
  }
}
