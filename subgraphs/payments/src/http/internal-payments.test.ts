import {
  Cards,
  createPaymentsTestEnv,
  type Caller,
  type PaymentsTestEnv,
} from '../testing/payments-test-env.ts';

let env: PaymentsTestEnv;
let customer: Caller;

beforeAll(async () => {
  env = await createPaymentsTestEnv('http');
  customer = await env.customer();
});
afterAll(() => env?.dispose());

describe('POST /internal/payments: who may call', () => {
  test('without a token it is 401 UNAUTHENTICATED', async () => {
    const reply = await env.pay(env.body(customer), null);
    expect(reply.status).toBe(401);
    expect(reply.body.error?.code).toBe('UNAUTHENTICATED');
  });

  test('with a forged token it is 401 UNAUTHENTICATED', async () => {
    const reply = await env.pay(env.body(customer), `${customer.token}x`);
    expect(reply.status).toBe(401);
    expect(reply.body.error?.code).toBe('UNAUTHENTICATED');
  });

  test("paying for another customer's booking is 403 FORBIDDEN and stores nothing", async () => {
    const other = await env.customer();
    const body = env.body(customer);
    const reply = await env.pay(body, other);
    expect(reply.status).toBe(403);
    expect(reply.body.error?.code).toBe('FORBIDDEN');
    expect(await env.paymentsFor(body.bookingId)).toBe(0);
  });

  test('an agent may pay on behalf of a customer', async () => {
    const reply = await env.pay(env.body(customer), env.agent);
    expect(reply.status).toBe(202);
    expect(reply.body.status).toBe('PENDING');
  });
});

describe('POST /internal/payments: invalid cards are 400 BAD_USER_INPUT and store nothing', () => {
  const year = new Date().getUTCFullYear();
  test.each([
    ['a number failing the Luhn check', { number: '4242424242424241' }, 'card.number'],
    ['a number with letters', { number: '4242abcd42424242' }, 'card.number'],
    ['a card that expired last year', { expYear: year - 1 }, 'card.expYear'],
    ['a two-digit CVC', { cvc: '12' }, 'card.cvc'],
    ['an amex with a three-digit CVC', { number: '378282246310005', cvc: '123' }, 'card.cvc'],
    ['a month 13', { expMonth: 13 }, 'card.expMonth'],
    ['an empty holder name', { holderName: '  ' }, 'card.holderName'],
  ])('%s', async (_name, patch, field) => {
    const body = env.body(customer);
    const reply = await env.pay({ ...body, card: { ...body.card, ...patch } }, customer);
    expect(reply.status).toBe(400);
    expect(reply.body.error?.code).toBe('BAD_USER_INPUT');
    expect(reply.body.error?.message).toMatch(new RegExp(`^${field.replace('.', '\\.')}:`));
    // The message names the field, never the card's digits.
    expect(reply.body.error?.message).not.toMatch(/\d{6,}/);
    expect(await env.paymentsFor(body.bookingId)).toBe(0);
  });

  test.each([
    ['an amount given as a decimal string', { amount: { amountMinor: '129.00', currency: 'USD' } }],
    ['a negative amount', { amount: { amountMinor: -1, currency: 'USD' } }],
    ['a lower-case currency', { amount: { amountMinor: 100, currency: 'usd' } }],
    ['no idempotency key', { idempotencyKey: '' }],
    ['no card', { card: undefined }],
  ])('%s', async (_name, patch) => {
    const body = { ...env.body(customer), ...patch };
    const reply = await env.pay(body, customer);
    expect(reply.status).toBe(400);
    expect(reply.body.error?.code).toBe('BAD_USER_INPUT');
    expect(await env.paymentsFor(body.bookingId)).toBe(0);
  });

  test('a body that is not JSON', async () => {
    const reply = await env.pay('{"bookingId":', customer);
    expect(reply.status).toBe(400);
    expect(reply.body.error?.code).toBe('BAD_USER_INPUT');
  });
});

describe('POST /internal/payments: answers before the provider does', () => {
  test('0119 (times out twice): 202 PENDING at once, SUCCEEDED after the retries', async () => {
    const body = env.body(customer, Cards.slowTwice);
    const reply = await env.pay(body, customer);
    expect(reply.status).toBe(202);
    expect(reply.body.status).toBe('PENDING');
    // Answered while the charge is still running: its first attempt alone outlasts the reply.
    expect((await env.payment(reply.body.paymentId!))?.status).toBe('PENDING');

    const settled = await env.settled(reply.body.paymentId!);
    expect(settled).toMatchObject({ status: 'SUCCEEDED', attempts: 3 });
    const attempts = await env.sql<{ outcome: string }>(
      'SELECT outcome FROM payment_attempt WHERE payment_id = $1 ORDER BY id',
      [reply.body.paymentId],
    );
    expect(attempts.map((a) => a.outcome)).toEqual(['timeout', 'timeout', 'approved']);
  });
});

describe('POST /internal/payments: idempotency', () => {
  test('the same key and request twice is the same payment and one charge', async () => {
    const body = env.body(customer);
    const first = await env.pay(body, customer);
    const second = await env.pay(body, customer);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.paymentId).toBe(first.body.paymentId);

    const paymentId = first.body.paymentId!;
    await env.settled(paymentId);
    const third = await env.pay(body, customer);
    expect(third.body).toEqual({ paymentId, status: 'SUCCEEDED' });
    const stats = await env.stats();
    expect(stats.requestsByReference[paymentId]).toBe(1);
    expect(stats.succeededByReference[paymentId]).toBe(1);
  });

  test('five concurrent requests with one key make one payment and one charge', async () => {
    const body = env.body(customer);
    const replies = await Promise.all(Array.from({ length: 5 }, () => env.pay(body, customer)));
    expect(replies.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    const ids = new Set(replies.map((r) => r.body.paymentId));
    expect(ids.size).toBe(1);
    const [paymentId] = [...ids] as string[];
    await env.settled(paymentId!);
    expect((await env.stats()).succeededByReference[paymentId!]).toBe(1);
    expect(await env.paymentsFor(body.bookingId)).toBe(1);
  });

  test.each([
    ['another amount', { amount: { amountMinor: 13_000, currency: 'USD' } }],
    ['another booking', { bookingId: 'b-other' }],
    [
      'another card',
      {
        card: {
          number: '5555555555554444',
          expMonth: 1,
          expYear: 2099,
          cvc: '123',
          holderName: 'G H',
        },
      },
    ],
  ])('the same key with %s is 409 IDEMPOTENCY_CONFLICT', async (_name, patch) => {
    const body = env.body(customer);
    const first = await env.pay(body, customer);
    expect(first.status).toBe(202);
    const conflict = await env.pay({ ...body, ...patch }, customer);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error?.code).toBe('IDEMPOTENCY_CONFLICT');
    await env.settled(first.body.paymentId!);
  });

  test('a second payment for a paid booking under another key is 409 and charges nothing', async () => {
    const body = env.body(customer);
    const first = await env.pay(body, customer);
    await env.settled(first.body.paymentId!);
    const second = await env.pay({ ...body, idempotencyKey: 'another-key' }, customer);
    expect(second.status).toBe(409);
    expect(second.body.error?.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await env.paymentsFor(body.bookingId)).toBe(1);
  });

  test('a second payment while the first is still PENDING is 409 too', async () => {
    const body = env.body(customer, Cards.slowTwice);
    const first = await env.pay(body, customer);
    const second = await env.pay(
      { ...body, idempotencyKey: 'racing-key', card: env.body(customer).card },
      customer,
    );
    expect(second.status).toBe(409);
    expect(second.body.error?.code).toBe('IDEMPOTENCY_CONFLICT');
    await env.settled(first.body.paymentId!);
  });

  test('after a declined payment the booking can be paid again with a new key', async () => {
    const body = env.body(customer, Cards.declined);
    const first = await env.pay(body, customer);
    expect(await env.settled(first.body.paymentId!)).toMatchObject({ status: 'FAILED' });
    // A replay of the failed request says FAILED; it does not charge again.
    expect((await env.pay(body, customer)).body.status).toBe('FAILED');

    const retry = await env.pay(
      { ...body, idempotencyKey: 'second-try', card: env.body(customer).card },
      customer,
    );
    expect(retry.status).toBe(202);
    expect(retry.body.paymentId).not.toBe(first.body.paymentId);
    expect(await env.settled(retry.body.paymentId!)).toMatchObject({ status: 'SUCCEEDED' });
  });

  test("keys are per customer: another customer's identical key is their own payment", async () => {
    const other = await env.customer();
    const key = 'shared-looking-key';
    const mine = await env.pay(
      env.body(customer, Cards.approved, { idempotencyKey: key }),
      customer,
    );
    const theirs = await env.pay(env.body(other, Cards.approved, { idempotencyKey: key }), other);
    expect(mine.status).toBe(202);
    expect(theirs.status).toBe(202);
    expect(theirs.body.paymentId).not.toBe(mine.body.paymentId);
    await env.settled(mine.body.paymentId!);
    await env.settled(theirs.body.paymentId!);
  });
});
