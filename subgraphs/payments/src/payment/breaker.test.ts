import {
  Cards,
  createPaymentsTestEnv,
  TEST_PROVIDER,
  type Caller,
  type PaymentsTestEnv,
} from '../testing/payments-test-env.ts';

// A service of its own: the open breaker would refuse every other suite's payments.
let env: PaymentsTestEnv;
let customer: Caller;

beforeAll(async () => {
  env = await createPaymentsTestEnv('breaker', {
    provider: { ...TEST_PROVIDER, breaker: { threshold: 5, halfOpenAfterMs: 60_000 } },
  });
  customer = await env.customer();
});
afterAll(() => env?.dispose());

const health = async (path: string) => {
  const response = await fetch(`${env.service.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

test('0259 opens the breaker; new payments then get 503 PAYMENT_UNAVAILABLE without asking the provider, and nothing is stored', async () => {
  expect((await health('/health/ready')).status).toBe(200);

  // 4 attempts, then 1 more that opens the breaker (5 consecutive failures): both FAILED.
  for (let i = 0; i < 2; i++) {
    const reply = await env.pay(env.body(customer, Cards.unavailable), customer);
    expect(reply.status).toBe(202);
    const row = await env.settled(reply.body.paymentId!);
    expect(row).toMatchObject({ status: 'FAILED', failure_reason: 'provider_unavailable' });
    await env.event('PaymentFailed', row.id);
  }

  const body = env.body(customer, Cards.approved);
  const refused = await env.pay(body, customer);
  expect(refused.status).toBe(503);
  expect(refused.body.error?.code).toBe('PAYMENT_UNAVAILABLE');
  const stored = await env.sql('SELECT id FROM payment WHERE booking_id = $1', [body.bookingId]);
  expect(stored).toEqual([]);
  expect((await env.stats()).requestsByReference).not.toHaveProperty(body.bookingId);

  // Readiness reports the open circuit; liveness is unaffected.
  const ready = await health('/health/ready');
  expect(ready.status).toBe(503);
  expect(ready.body.checks).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ name: 'payment-provider', ok: false }),
      expect.objectContaining({ name: 'postgres', ok: true }),
      expect.objectContaining({ name: 'rabbitmq', ok: true }),
    ]),
  );
  expect((await health('/health/live')).status).toBe(200);
});

test('a replay of an earlier request still answers while the breaker is open', async () => {
  // The breaker is open from the test above; the replay never needs the provider.
  const body = env.body(customer, Cards.unavailable);
  const replyWhileOpen = await env.pay(body, customer);
  expect(replyWhileOpen.status).toBe(503);

  const [earlier] = await env.sql<{ id: string; idempotency_key: string; booking_id: string }>(
    `SELECT id, idempotency_key, booking_id FROM payment ORDER BY created_at LIMIT 1`,
  );
  const replay = await env.pay(
    env.body(customer, Cards.unavailable, {
      bookingId: earlier!.booking_id,
      idempotencyKey: earlier!.idempotency_key,
    }),
    customer,
  );
  expect(replay.status).toBe(202);
  expect(replay.body).toEqual({ paymentId: earlier!.id, status: 'FAILED' });
});
