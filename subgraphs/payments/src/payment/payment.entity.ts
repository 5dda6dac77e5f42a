import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** Where a payment stands (the GraphQL `PaymentStatus` values). */
export const PaymentStatus = {
  PENDING: 'PENDING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  REFUNDED: 'REFUNDED',
  PARTIALLY_REFUNDED: 'PARTIALLY_REFUNDED',
} as const;
/** One payment status. */
export type PaymentStatus = (typeof PaymentStatus)[keyof typeof PaymentStatus];

/** Where a refund stands (the GraphQL `RefundStatus` values). */
export const RefundStatus = {
  PENDING: 'PENDING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
} as const;
/** One refund status. */
export type RefundStatus = (typeof RefundStatus)[keyof typeof RefundStatus];

/** What a provider request was for (the GraphQL `PaymentOperation` values). */
export const PaymentOperation = { CHARGE: 'CHARGE', REFUND: 'REFUND', LOOKUP: 'LOOKUP' } as const;
/** One provider operation. */
export type PaymentOperation = (typeof PaymentOperation)[keyof typeof PaymentOperation];

/**
 * One charge of a card for a booking. Of the card only brand and last four digits are stored;
 * `requestHash` fingerprints the request for idempotency without any card secret in it.
 */
export const Payment = defineEntity({
  name: 'Payment',
  tableName: 'payment',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    bookingId: p.string().length(100),
    customerId: p.string().length(100),
    idempotencyKey: p.string().length(255),
    requestHash: p.string().length(64),
    amountMinor: p.integer(),
    currency: p.string().length(3),
    status: p.enum(Object.values(PaymentStatus)).default(PaymentStatus.PENDING),
    cardBrand: p.string().length(20),
    cardLast4: p.string().length(4),
    /** Charge requests sent to the provider (retries included). */
    attempts: p.integer().default(0),
    /** Decline code or our own code (provider_unavailable, payment_interrupted). */
    failureReason: p.string().length(100).nullable(),
    providerChargeId: p.string().length(100).nullable(),
    refundedMinor: p.integer().default(0),
    /** Until then the charge may still be running somewhere; after it, recovery settles it. */
    chargeLeaseUntil: p.datetime(),
    /** A failed charge whose outcome at the provider was ambiguous (timeouts): to be checked. */
    needsReconciliation: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** A loaded payment row. */
export type PaymentEntity = InferEntity<typeof Payment>;

/** Money given back on a payment; `idempotencyKey` is what the provider saw. */
export const Refund = defineEntity({
  name: 'Refund',
  tableName: 'refund',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    paymentId: p.uuid().index(),
    amountMinor: p.integer(),
    currency: p.string().length(3),
    status: p.enum(Object.values(RefundStatus)),
    reason: p.text(),
    idempotencyKey: p.string().length(255).unique(),
    providerRefundId: p.string().length(100).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
/** A loaded refund row. */
export type RefundEntity = InferEntity<typeof Refund>;

/** One HTTP request the adapter made to the provider for a payment. */
export const PaymentAttempt = defineEntity({
  name: 'PaymentAttempt',
  tableName: 'payment_attempt',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    paymentId: p.uuid().index(),
    operation: p.enum(Object.values(PaymentOperation)),
    attempt: p.integer(),
    outcome: p.string().length(50),
    statusCode: p.integer().nullable(),
    error: p.text().nullable(),
    durationMs: p.integer(),
    startedAt: p.datetime(),
  },
});
/** A loaded attempt row. */
export type PaymentAttemptEntity = InferEntity<typeof PaymentAttempt>;

/** Statuses in which a booking's money is (being) held: at most one such payment per booking. */
export const ACTIVE_STATUSES: readonly PaymentStatus[] = [
  PaymentStatus.PENDING,
  PaymentStatus.SUCCEEDED,
  PaymentStatus.PARTIALLY_REFUNDED,
];
