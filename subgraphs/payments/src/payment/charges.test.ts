import {
  Cards,
  createPaymentsTestEnv,
  type Caller,
  type PaymentsTestEnv,
} from '../testing/payments-test-env.ts';

let env: PaymentsTestEnv;
let customer: Caller;

beforeAll(async () => {
  env = await createPaymentsTestEnv('charges');
  customer = await env.customer();
});
afterAll(() => env?.dispose());

describe('each DESIGN test card ends in the right status and event on payment.events', () => {
  test.each([
    ['4242 (approved)', Cards.approved, 'SUCCEEDED', null, 1],
    ['0002 (declined)', Cards.declined, 'FAILED', 'card_declined', 1],
    ['9995 (insufficient funds)', Cards.insufficientFunds, 'FAILED', 'insufficient_funds', 1],
    ['0119 (times out twice, then approved)', Cards.slowTwice, 'SUCCEEDED', null, 3],
    ['0259 (always unavailable)', Cards.unavailable, 'FAILED', 'provider_unavailable', 4],
  ])('%s', async (_name, card, status, failureReason, attempts) => {
    const body = env.body(customer, card);
    const reply = await env.pay(body, customer);
    expect(reply).toMatchObject({ status: 202, body: { status: 'PENDING' } });
    const paymentId = reply.body.paymentId!;

    const row = await env.settled(paymentId);
    expect(row).toMatchObject({
      status,
      failure_reason: failureReason,
      attempts,
      card_brand: 'visa',
      card_last4: card.slice(-4),
    });
    const amount = { amountMinor: 12_900, currency: 'USD' };
    // The request's key travels back with the result: bookings matches the two by it.
    const common = {
      paymentId,
      bookingId: body.bookingId,
      customerId: customer.id,
      amount,
      idempotencyKey: body.idempotencyKey,
    };
    if (status === 'SUCCEEDED') {
      const event = await env.event('PaymentCompleted', paymentId);
      expect(event.payload).toEqual({ ...common, cardBrand: 'visa', cardLast4: card.slice(-4) });
      expect(event).toMatchObject({ aggregateId: paymentId, correlationId: body.bookingId });
    } else {
      const event = await env.event('PaymentFailed', paymentId);
      expect(event.payload).toEqual({
        ...common,
        code: failureReason,
        reason: expect.any(String),
      });
    }
    // Exactly one outcome event per payment.
    const outcomes = env.events.filter(
      (e) => (e.payload as { paymentId?: string }).paymentId === paymentId,
    );
    expect(outcomes).toHaveLength(1);
    const attemptRows = await env.sql<{ operation: string; attempt: number }>(
      'SELECT operation, attempt FROM payment_attempt WHERE payment_id = $1 ORDER BY id',
      [paymentId],
    );
    expect(attemptRows).toEqual(
      Array.from({ length: attempts }, (_, i) => ({ operation: 'CHARGE', attempt: i + 1 })),
    );
  });

  test('a payment failed by a provider outage is checked with the provider afterwards', async () => {
    const reply = await env.pay(env.body(customer, Cards.unavailable), customer);
    const row = await env.settled(reply.body.paymentId!);
    // 5xx answers do not prove that nothing was charged: recovery checks with the provider.
    expect(row.needs_reconciliation).toBe(true);
    expect((await env.service.sweep()).reconciled).toBeGreaterThanOrEqual(1);
    expect((await env.payment(row.id))?.needs_reconciliation).toBe(false);
  });
});

describe('card data at rest', () => {
  test('the card number and CVC are stored nowhere: not in payments, attempts, refunds or the outbox', async () => {
    const number = '4242424242424242';
    const cvc = '987';
    const body = env.body(customer, number);
    const reply = await env.pay({ ...body, card: { ...body.card, cvc } }, customer);
    await env.settled(reply.body.paymentId!);
    await env.event('PaymentCompleted', reply.body.paymentId!);

    const columns = await env.sql<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    expect(columns.map((c) => c.column_name).filter((c) => /number|cvc|pan/.test(c))).toEqual([]);
    for (const table of ['payment', 'payment_attempt', 'refund', 'outbox', 'inbox']) {
      const rows = await env.sql<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM ${table} t`,
      );
      for (const { row } of rows) {
        expect(row).not.toContain(number);
        expect(row).not.toContain('4242 4242');
      }
    }
    const [payment] = await env.sql<Record<string, unknown>>(
      'SELECT card_brand, card_last4, request_hash FROM payment WHERE id = $1',
      [reply.body.paymentId],
    );
    expect(payment).toMatchObject({ card_brand: 'visa', card_last4: '4242' });
    // The fingerprint is a SHA-256 digest (random hex that contains "987" by chance in about one run
    // in 66): it holds no card data in clear; every other stored value must not.
    const { request_hash: fingerprint, ...stored } = payment!;
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(cvc);
  });
});
