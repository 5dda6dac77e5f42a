import { randomUUID } from 'node:crypto';
import { startPayments, type PaymentsServer } from '../service.ts';
import {
  Cards,
  createPaymentsTestEnv,
  TEST_OPTIONS,
  waitFor,
  type Caller,
  type PaymentsTestEnv,
} from '../testing/payments-test-env.ts';

let env: PaymentsTestEnv;
let customer: Caller;

beforeAll(async () => {
  // A short lease, so an abandoned charge is recoverable within a test.
  env = await createPaymentsTestEnv('recovery', { chargeLeaseMs: 300, shutdownGraceMs: 0 });
  customer = await env.customer();
});
afterAll(() => env?.dispose());

/** What a crash leaves behind: a PENDING payment, its card gone, its lease over (or not). */
async function crashedPayment(
  options: { leaseOver?: boolean; status?: string; reconcile?: boolean } = {},
): Promise<{ id: string; bookingId: string }> {
  const id = randomUUID();
  const bookingId = randomUUID();
  await env.sql(
    `INSERT INTO payment (id, booking_id, customer_id, idempotency_key, request_hash, amount_minor,
       currency, status, card_brand, card_last4, charge_lease_until, needs_reconciliation,
       created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, 12900, 'USD', $6, 'visa', '4242', $7, $8, now(), now())`,
    [
      id,
      bookingId,
      customer.id,
      randomUUID(),
      'f'.repeat(64),
      options.status ?? 'PENDING',
      new Date(Date.now() + (options.leaseOver === false ? 60_000 : -1_000)),
      options.reconcile ?? false,
    ],
  );
  return { id, bookingId };
}

/** Charges the provider directly for a payment, as the crashed process had done. */
async function chargedAtProvider(paymentId: string, card: string = Cards.approved): Promise<void> {
  const response = await fetch(`${env.provider.url}/v1/charges`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': paymentId },
    body: JSON.stringify({
      amount: 12_900,
      currency: 'USD',
      reference: paymentId,
      card: { number: card, expMonth: 12, expYear: 2099, cvc: '123', holderName: 'G H' },
    }),
  });
  expect([201, 402]).toContain(response.status);
}

describe('recovery of payments interrupted by a crash', () => {
  test('charged before the crash: SUCCEEDED and PaymentCompleted, without a second charge', async () => {
    const payment = await crashedPayment();
    await chargedAtProvider(payment.id);
    await env.service.sweep();

    const row = await env.payment(payment.id);
    expect(row).toMatchObject({
      status: 'SUCCEEDED',
      provider_charge_id: expect.stringMatching(/^ch_/),
    });
    expect((await env.event('PaymentCompleted', payment.id)).payload.bookingId).toBe(
      payment.bookingId,
    );
    expect((await env.stats()).succeededByReference[payment.id]).toBe(1);
    const lookups = await env.sql<{ operation: string; outcome: string }>(
      'SELECT operation, outcome FROM payment_attempt WHERE payment_id = $1',
      [payment.id],
    );
    expect(lookups).toEqual([{ operation: 'LOOKUP', outcome: 'retrieved' }]);
  });

  test('never reached the provider: FAILED payment_interrupted and PaymentFailed', async () => {
    const payment = await crashedPayment();
    await env.service.sweep();
    expect(await env.payment(payment.id)).toMatchObject({
      status: 'FAILED',
      failure_reason: 'payment_interrupted',
    });
    expect((await env.event('PaymentFailed', payment.id)).payload.code).toBe('payment_interrupted');
  });

  test('declined before the crash: FAILED with the decline code', async () => {
    const payment = await crashedPayment();
    await chargedAtProvider(payment.id, Cards.insufficientFunds);
    await env.service.sweep();
    expect(await env.payment(payment.id)).toMatchObject({
      status: 'FAILED',
      failure_reason: 'insufficient_funds',
    });
  });

  test('a charge whose lease is not over yet is left alone', async () => {
    const payment = await crashedPayment({ leaseOver: false });
    await env.service.sweep();
    expect((await env.payment(payment.id))?.status).toBe('PENDING');
    await env.sql(`UPDATE payment SET status = 'FAILED' WHERE id = $1`, [payment.id]);
  });

  test('stopped mid-charge, then restarted: the new instance settles it and nothing is charged', async () => {
    const reply = await env.pay(env.body(customer, Cards.slowTwice), customer);
    const paymentId = reply.body.paymentId!;
    expect(reply.body.status).toBe('PENDING');
    // Stopping abandons the charge in flight (grace 0): the card is gone with the process.
    await env.restart();
    expect((await env.payment(paymentId))?.status).toBe('PENDING');

    await new Promise((resolve) => setTimeout(resolve, 350)); // the lease runs out
    await env.service.sweep();
    expect(await env.payment(paymentId)).toMatchObject({
      status: 'FAILED',
      failure_reason: 'payment_interrupted',
    });
    await env.event('PaymentFailed', paymentId);
    expect((await env.stats()).succeededByReference[paymentId]).toBeUndefined();
  });
});

describe('reconciliation of failed payments the provider may have charged', () => {
  test('a failed payment that was charged after all is refunded automatically, once', async () => {
    const payment = await crashedPayment({ status: 'FAILED', reconcile: true });
    await chargedAtProvider(payment.id);
    const before = await env.stats();

    expect((await env.service.sweep()).reconciled).toBe(1);
    expect(await env.payment(payment.id)).toMatchObject({
      status: 'FAILED',
      needs_reconciliation: false,
      refunded_minor: 12_900,
    });
    const refunds = await env.sql<{ idempotency_key: string; amount_minor: number }>(
      'SELECT idempotency_key, amount_minor FROM refund WHERE payment_id = $1',
      [payment.id],
    );
    expect(refunds).toEqual([{ idempotency_key: `void:${payment.id}`, amount_minor: 12_900 }]);
    expect((await env.service.sweep()).reconciled).toBe(0);
    expect((await env.stats()).refunds.succeeded - before.refunds.succeeded).toBe(1);
  });

  test('a doubtful failure is only looked up once the provider has had time to finish', async () => {
    await env.restart({ reconcileAfterMs: 60_000 });
    try {
      const payment = await crashedPayment({ status: 'FAILED', reconcile: true });
      expect((await env.service.sweep()).reconciled).toBe(0);
      expect((await env.payment(payment.id))?.needs_reconciliation).toBe(true);
      await env.sql(`UPDATE payment SET updated_at = now() - interval '61 seconds' WHERE id = $1`, [
        payment.id,
      ]);
      expect((await env.service.sweep()).reconciled).toBe(1);
      expect((await env.payment(payment.id))?.needs_reconciliation).toBe(false);
    } finally {
      await env.restart();
    }
  });

  test('a second replica that gives up on a slow charge: the charge that lands anyway is refunded', async () => {
    // Replica B shares the database; its sweep sees replica A's charge as abandoned once the
    // lease is over, although A is still waiting for the provider.
    const replica: PaymentsServer = await startPayments(env.config, {
      ...TEST_OPTIONS,
      chargeLeaseMs: 300,
    });
    try {
      const reply = await env.pay(env.body(customer, Cards.slowTwice), customer);
      const paymentId = reply.body.paymentId!;
      await new Promise((resolve) => setTimeout(resolve, 350));
      await replica.sweep();
      expect((await env.payment(paymentId))?.failure_reason).toBe('payment_interrupted');

      await env.service.chargesIdle(); // A's charge succeeds at the provider after all
      expect((await env.stats()).succeededByReference[paymentId]).toBe(1);
      await waitFor(
        'the payment to be flagged',
        async () => (await env.payment(paymentId))?.needs_reconciliation,
      );
      await env.service.sweep();
      expect(await env.payment(paymentId)).toMatchObject({
        status: 'FAILED',
        refunded_minor: 12_900,
        needs_reconciliation: false,
      });
      // The saga heard one outcome only: the failure it acted on.
      await env.event('PaymentFailed', paymentId);
      expect(
        env.events.some((e) => e.type === 'PaymentCompleted' && e.aggregateId === paymentId),
      ).toBe(false);
    } finally {
      await replica.stop();
    }
  });
});
