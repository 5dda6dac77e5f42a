import { pino } from 'pino';
import { newCommand, openDatabase, type CommandPayloads, type MikroORM } from '@airline/shared';
import { PaymentProviderClient, ProviderUnavailableError } from '../provider/index.ts';
import {
  Cards,
  createPaymentsTestEnv,
  TEST_PROVIDER,
  waitFor,
  type Caller,
  type PaymentsTestEnv,
} from '../testing/payments-test-env.ts';
import { Refunds } from './refunds.ts';
import { database } from '../database.ts';

let env: PaymentsTestEnv;
let customer: Caller;

beforeAll(async () => {
  env = await createPaymentsTestEnv('refunds');
  customer = await env.customer();
});
afterAll(() => env?.dispose());

async function paidPayment(card: string = Cards.approved) {
  const body = env.body(customer, card);
  const reply = await env.pay(body, customer);
  const row = await env.settled(reply.body.paymentId!);
  return { ...row, bookingId: body.bookingId };
}

const refundOf = (
  payment: { id: string; bookingId: string },
  amount: CommandPayloads['RefundPayment']['amount'] = null,
): CommandPayloads['RefundPayment'] => ({
  paymentId: payment.id,
  bookingId: payment.bookingId,
  customerId: customer.id,
  amount,
  reason: 'Booking cancelled by the customer',
});

// The command queue is handled in order, one at a time: once a later command has been applied
// (its inbox row exists), every earlier one has been handled too.
const applied = (commandId: string) =>
  waitFor(`command ${commandId} to be handled`, async () => {
    const rows = await env.sql('SELECT 1 FROM inbox WHERE message_id = $1', [commandId]);
    return rows.length > 0;
  });

const refundsOf = (paymentId: string) =>
  env.sql<{ amount_minor: number; status: string; reason: string; idempotency_key: string }>(
    'SELECT amount_minor, status, reason, idempotency_key FROM refund WHERE payment_id = $1 ORDER BY created_at',
    [paymentId],
  );

describe('the RefundPayment command', () => {
  test('a malformed payload is dead-lettered at once, naming the field, and refunds nothing', async () => {
    const payment = await paidPayment();
    const command = await env.refund({
      ...refundOf(payment),
      amount: { amountMinor: '10', currency: 'USD' },
    } as unknown as CommandPayloads['RefundPayment']);
    const dead = await waitFor('the dead letter', () =>
      env.logs.find((l) => l.messageId === command.id && l.msg === 'message dead-lettered'),
    );
    expect(dead).toMatchObject({ reason: 'permanent', retries: 0 });
    expect(JSON.stringify(dead.err)).toMatch(
      /malformed RefundPayment payload: amount\.amountMinor/,
    );
    expect(await refundsOf(payment.id)).toEqual([]);
  });

  test('refunds a paid payment in full: REFUNDED, a refund row and PaymentRefunded', async () => {
    const payment = await paidPayment();
    const before = await env.stats();
    const command = await env.refund(refundOf(payment));

    await waitFor('REFUNDED', async () => (await env.payment(payment.id))?.status === 'REFUNDED');
    const event = await env.event('PaymentRefunded', payment.id);
    const [refund] = await env.sql<{ id: string }>('SELECT id FROM refund WHERE payment_id = $1', [
      payment.id,
    ]);
    expect(event.payload).toEqual({
      paymentId: payment.id,
      refundId: refund!.id,
      bookingId: payment.bookingId,
      customerId: customer.id,
      amount: { amountMinor: 12_900, currency: 'USD' },
      reason: 'Booking cancelled by the customer',
    });
    expect(await refundsOf(payment.id)).toEqual([
      {
        amount_minor: 12_900,
        status: 'SUCCEEDED',
        reason: 'Booking cancelled by the customer',
        idempotency_key: `refund:${command.id}`,
      },
    ]);
    expect((await env.payment(payment.id))?.refunded_minor).toBe(12_900);
    expect((await env.stats()).refunds.succeeded - before.refunds.succeeded).toBe(1);
  });

  test('a redelivered command refunds once; a second cancellation finds nothing left', async () => {
    const payment = await paidPayment();
    const before = await env.stats();
    const first = await env.refund(refundOf(payment));
    await env.refund(refundOf(payment), first.id); // the same message again
    const another = await env.refund(refundOf(payment)); // a new command for the same payment
    await applied(another.id);

    expect(await refundsOf(payment.id)).toHaveLength(1);
    expect((await env.payment(payment.id))?.status).toBe('REFUNDED');
    expect((await env.stats()).refunds.succeeded - before.refunds.succeeded).toBe(1);
    await env.event('PaymentRefunded', payment.id);
    expect(
      env.events.filter((e) => e.type === 'PaymentRefunded' && e.aggregateId === payment.id),
    ).toHaveLength(1);
  });

  test('a partial refund leaves PARTIALLY_REFUNDED; a full one then refunds the rest', async () => {
    const payment = await paidPayment();
    await env.refund(refundOf(payment, { amountMinor: 5_000, currency: 'USD' }));
    await waitFor(
      'PARTIALLY_REFUNDED',
      async () => (await env.payment(payment.id))?.status === 'PARTIALLY_REFUNDED',
    );
    await env.refund(refundOf(payment));
    await waitFor('REFUNDED', async () => (await env.payment(payment.id))?.status === 'REFUNDED');

    expect((await refundsOf(payment.id)).map((r) => r.amount_minor)).toEqual([5_000, 7_900]);
    const events = await waitFor('two PaymentRefunded events', () => {
      const found = env.events.filter(
        (e) => e.type === 'PaymentRefunded' && e.aggregateId === payment.id,
      );
      return found.length === 2 ? found : undefined;
    });
    expect(
      events.map((e) => (e.payload as { amount: { amountMinor: number } }).amount.amountMinor),
    ).toEqual([5_000, 7_900]);
  });

  test('refunding a declined payment is acknowledged and changes nothing', async () => {
    const payment = await paidPayment(Cards.declined);
    const command = await env.refund(refundOf(payment));
    await applied(command.id);
    expect(await refundsOf(payment.id)).toEqual([]);
    expect((await env.payment(payment.id))?.status).toBe('FAILED');
  });

  test('a refund that arrives while the card is still being charged waits for the charge', async () => {
    const body = env.body(customer, Cards.slowTwice);
    const reply = await env.pay(body, customer);
    const paymentId = reply.body.paymentId!;
    await env.refund(refundOf({ id: paymentId, bookingId: body.bookingId }));
    await waitFor('REFUNDED', async () => (await env.payment(paymentId))?.status === 'REFUNDED');
    expect((await refundsOf(paymentId)).map((r) => r.amount_minor)).toEqual([12_900]);
  });
});

describe('Refunds.apply: reserve, call the provider unlocked, record', () => {
  let orm: MikroORM;
  beforeAll(async () => {
    orm = await openDatabase(env.config, database, pino({ level: 'silent' }));
  });
  afterAll(() => orm?.close());

  const silent = pino({ level: 'silent' });
  const away = () =>
    new PaymentProviderClient({
      baseUrl: 'http://127.0.0.1:1',
      logger: silent,
      maxAttempts: 2,
      backoff: { initialDelayMs: 1, maxDelayMs: 2 },
    });
  const reachable = () =>
    new PaymentProviderClient({ ...TEST_PROVIDER, baseUrl: env.provider.url, logger: silent });

  test('throws the provider’s unavailability (so the consumer retries), keeps the refund reserved and the payment untouched', async () => {
    const payment = await paidPayment();
    const refunds = new Refunds(orm, away(), silent);
    const command = newCommand('RefundPayment', payment.id, refundOf(payment));

    await expect(refunds.apply(command)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(await refundsOf(payment.id)).toEqual([
      expect.objectContaining({ amount_minor: 12_900, status: 'PENDING' }),
    ]);
    expect(await env.payment(payment.id)).toMatchObject({ status: 'SUCCEEDED', refunded_minor: 0 });
  });

  test('a retry of an interrupted refund resumes its reservation and refunds once', async () => {
    const payment = await paidPayment();
    const before = await env.stats();
    const command = newCommand('RefundPayment', payment.id, refundOf(payment));
    await expect(new Refunds(orm, away(), silent).apply(command)).rejects.toBeInstanceOf(
      ProviderUnavailableError,
    );
    // While the first is reserved, another refund of the same payment finds nothing left.
    const other = newCommand('RefundPayment', payment.id, refundOf(payment));
    expect(await new Refunds(orm, reachable(), silent).apply(other)).toBeNull();

    const refunds = new Refunds(orm, reachable(), silent);
    await refunds.apply(command);
    await refunds.apply(command); // delivered once more after it was recorded
    expect(await refundsOf(payment.id)).toEqual([
      expect.objectContaining({ amount_minor: 12_900, status: 'SUCCEEDED' }),
    ]);
    expect(await env.payment(payment.id)).toMatchObject({
      status: 'REFUNDED',
      refunded_minor: 12_900,
    });
    expect((await env.stats()).refunds.succeeded - before.refunds.succeeded).toBe(1);
  });

  test('no lock on the payment is held while the provider is asked', async () => {
    const payment = await paidPayment();
    const provider = reachable();
    let lockable: boolean | undefined;
    const probing: Pick<PaymentProviderClient, 'refund'> = {
      refund: async (request) => {
        // Another transaction can lock the payment row at once while the provider is asked.
        const rows = await env
          .sql('SELECT 1 FROM payment WHERE id = $1 FOR UPDATE NOWAIT', [payment.id])
          .then(
            (r) => r.length,
            () => 0,
          );
        lockable = rows === 1;
        return provider.refund(request);
      },
    };
    await new Refunds(orm, probing, silent).apply(
      newCommand('RefundPayment', payment.id, refundOf(payment)),
    );
    expect(lockable).toBe(true);
    expect((await env.payment(payment.id))?.status).toBe('REFUNDED');
  });
});
