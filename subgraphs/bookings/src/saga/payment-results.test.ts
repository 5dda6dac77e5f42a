import { randomUUID } from 'node:crypto';
import {
  DependencyUnavailableError,
  type CommandEnvelope,
  type EventPayloads,
  type Message,
} from '@airline/shared';
import { waitFor } from '@airline/shared/testing';
import {
  codes,
  createInput,
  ops,
  payInput,
  SEAT_PRICE,
  startBookingsHarness,
  type BookingsHarness,
} from '../testing/bookings-harness.ts';

let h: BookingsHarness;
beforeAll(async () => {
  h = await startBookingsHarness('payresults');
}, 30_000);
afterAll(() => h?.stop());

type Customer = Awaited<ReturnType<BookingsHarness['user']>>;

/** A new customer's booking holding `seats` (HELD). */
async function heldBooking(seats: string[]): Promise<{ me: Customer; id: string }> {
  const me = await h.user();
  const { createBooking } = await h.graphql.data<{ createBooking: { id: string } }>(
    ops.create,
    createInput(randomUUID(), seats),
    { token: me.token },
  );
  return { me, id: createBooking.id };
}

/** A customer's booking of one seat, paid: PAYMENT_PENDING, the request payments received. */
async function pendingBooking() {
  const { me, id } = await heldBooking(['12A']);
  const { payBooking } = await h.graphql.data<{ payBooking: { status: string } }>(
    ops.pay,
    payInput(id),
    { token: me.token },
  );
  expect(payBooking.status).toBe('PAYMENT_PENDING');
  const request = h.payments.requests.find((r) => r.bookingId === id)!;
  return { me, id, request, paymentId: h.payments.paymentIdOf(request.idempotencyKey)! };
}

/** The PaymentCompleted payments would publish for that request. */
const completed = (
  p: Awaited<ReturnType<typeof pendingBooking>>,
): EventPayloads['PaymentCompleted'] => ({
  paymentId: p.paymentId,
  bookingId: p.id,
  customerId: p.me.id,
  amount: { ...SEAT_PRICE },
  idempotencyKey: p.request.idempotencyKey,
  cardBrand: 'visa',
  cardLast4: '4242',
});

const refundOf = (paymentId: string) => (m: Message) =>
  m.type === 'RefundPayment' &&
  (m as CommandEnvelope<'RefundPayment'>).payload.paymentId === paymentId;
const confirmSeatsFor = (bookingId: string) => (m: Message) =>
  m.type === 'ConfirmSeats' && m.aggregateId === bookingId;
const securityLog = (paymentId: string) =>
  waitFor(`security event for ${paymentId}`, () =>
    h.logs.find((l) => l.securityEvent === true && l.paymentId === paymentId),
  );

describe('a payment result that is not the payment bookings asked for', () => {
  test.each([
    [
      'a cheaper payment made for the booking',
      (e: EventPayloads['PaymentCompleted']) => ({
        ...e,
        paymentId: randomUUID(),
        idempotencyKey: randomUUID(),
        amount: { amountMinor: 100, currency: 'USD' },
      }),
      ['paymentId', 'idempotencyKey', 'amount'],
    ],
    [
      "another customer's payment",
      (e: EventPayloads['PaymentCompleted']) => ({
        ...e,
        paymentId: randomUUID(),
        customerId: randomUUID(),
      }),
      ['paymentId', 'customerId'],
    ],
    [
      'an unknown payment id',
      (e: EventPayloads['PaymentCompleted']) => ({ ...e, paymentId: randomUUID() }),
      ['paymentId'],
    ],
  ])(
    '%s: the booking is unchanged, that payment is refunded, a security event is logged',
    async (_label, forge, fields) => {
      const pending = await pendingBooking();
      const before = await h.booking(pending.id);
      const forged = forge(completed(pending));
      await h.publish('PaymentCompleted', forged);

      const refund = (await h.sent(
        refundOf(forged.paymentId),
        'RefundPayment',
      )) as CommandEnvelope<'RefundPayment'>;
      expect(refund.payload).toMatchObject({
        paymentId: forged.paymentId,
        bookingId: pending.id,
        customerId: forged.customerId,
        amount: null,
      });
      expect(await h.booking(pending.id)).toEqual(before);
      expect(h.messages.some(confirmSeatsFor(pending.id))).toBe(false);
      const log = await securityLog(forged.paymentId);
      expect(log).toMatchObject({ bookingId: pending.id, type: 'PaymentCompleted' });
      expect((log.mismatches as { field: string }[]).map((m) => m.field)).toEqual(fields);
    },
  );

  test('one that names the booking’s own payment with another amount changes and refunds nothing; the genuine one then confirms', async () => {
    const pending = await pendingBooking();
    const before = await h.booking(pending.id);
    const genuine = completed(pending);
    await h.publish('PaymentCompleted', {
      ...genuine,
      amount: { amountMinor: 1, currency: 'USD' },
    });
    await securityLog(pending.paymentId);
    expect(await h.booking(pending.id)).toEqual(before);

    await h.publish('PaymentCompleted', genuine);
    await h.sent(confirmSeatsFor(pending.id), 'ConfirmSeats');
    // Refunding on the forged message's word would have given back the genuine payment.
    expect(h.messages.some(refundOf(pending.paymentId))).toBe(false);
    expect(await h.booking(pending.id)).toMatchObject({
      status: 'PAYMENT_PENDING',
      saga_step: 'CONFIRMING_SEATS',
      paid_minor: SEAT_PRICE.amountMinor,
      paid_currency: SEAT_PRICE.currency,
    });
  });

  test('a PaymentCompleted for a booking that never asked for payment leaves it HELD and is refunded', async () => {
    const { me, id } = await heldBooking(['3C']);
    const paymentId = randomUUID();
    await h.publish('PaymentCompleted', {
      paymentId,
      bookingId: id,
      customerId: me.id,
      amount: { ...SEAT_PRICE },
      idempotencyKey: randomUUID(),
      cardBrand: 'visa',
      cardLast4: '4242',
    });
    await h.sent(refundOf(paymentId), 'RefundPayment');
    expect(await h.booking(id)).toMatchObject({ status: 'HELD', payment_id: null });
  });

  test('a PaymentFailed that does not match changes nothing and refunds nothing; the matching one brings the booking back to HELD', async () => {
    const pending = await pendingBooking();
    const before = await h.booking(pending.id);
    const genuine = { ...completed(pending), code: 'card_declined', reason: 'declined' };
    const { cardBrand: _b, cardLast4: _l, ...failure } = genuine;
    await h.publish('PaymentFailed', { ...failure, customerId: randomUUID() });
    await securityLog(pending.paymentId);
    expect(await h.booking(pending.id)).toEqual(before);

    await h.publish('PaymentFailed', failure);
    await waitFor('HELD again', async () => (await h.booking(pending.id)).status === 'HELD');
    expect(await h.booking(pending.id)).toMatchObject({
      payment_failures: 1,
      payment_error_code: 'PAYMENT_DECLINED',
    });
    expect(h.messages.some(refundOf(pending.paymentId))).toBe(false);
  });
});

describe('payBooking: reserve, ask payments with no lock held, record', () => {
  test('payments gets the amount and customer bookings recorded under a request key of its own; the row is not locked meanwhile; a result that arrives first is matched by that key', async () => {
    const { me, id } = await heldBooking(['7A', '7B']);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let lockable: boolean | undefined;
    h.payments.answer = async (request) => {
      if (request.bookingId !== id) return;
      // The booking row can be locked at once by someone else while payments is being asked.
      lockable = await h.sql('SELECT 1 FROM booking WHERE id = $1 FOR UPDATE NOWAIT', [id]).then(
        () => true,
        () => false,
      );
      await gate;
    };
    try {
      const paying = h.graphql.request<{ payBooking: { status: string } }>(
        ops.pay,
        payInput(id, 'my-key-0001'),
        { token: me.token },
      );
      const request = await waitFor('the payment request', () =>
        h.payments.requests.find((r) => r.bookingId === id),
      );
      expect(request).toMatchObject({
        bookingId: id,
        customerId: me.id,
        amount: { amountMinor: 2 * SEAT_PRICE.amountMinor, currency: 'USD' },
      });
      expect(request.idempotencyKey).not.toBe('my-key-0001');
      await waitFor('the lock probe', () => lockable);
      expect(lockable).toBe(true);

      // The result overtakes payments' answer: the request key alone ties it to the booking.
      const paymentId = h.payments.paymentIdOf(request.idempotencyKey)!;
      await h.publish('PaymentCompleted', {
        paymentId,
        bookingId: id,
        customerId: me.id,
        amount: request.amount,
        idempotencyKey: request.idempotencyKey,
        cardBrand: 'visa',
        cardLast4: '4242',
      });
      await h.sent(confirmSeatsFor(id), 'ConfirmSeats');
      release();
      expect((await paying).data?.payBooking.status).toBe('PAYMENT_PENDING');
      expect(await h.booking(id)).toMatchObject({
        status: 'PAYMENT_PENDING',
        saga_step: 'CONFIRMING_SEATS',
        payment_id: paymentId,
      });
    } finally {
      release();
      h.payments.answer = () => Promise.resolve();
    }
  });

  test('the same key from concurrent retries asks payments for one payment and returns one booking', async () => {
    const { me, id } = await heldBooking(['8A']);
    h.payments.answer = () => new Promise((r) => setTimeout(r, 100));
    try {
      const replies = await Promise.all(
        Array.from({ length: 4 }, () =>
          h.graphql.request<{ payBooking: { id: string; status: string } }>(
            ops.pay,
            payInput(id, 'same-key-0001'),
            { token: me.token },
          ),
        ),
      );
      expect(replies.map((r) => r.data?.payBooking)).toEqual(
        Array.from({ length: 4 }, () => ({ id, status: 'PAYMENT_PENDING' })),
      );
    } finally {
      h.payments.answer = () => Promise.resolve();
    }
    const keys = new Set(
      h.payments.requests.filter((r) => r.bookingId === id).map((r) => r.idempotencyKey),
    );
    expect(keys.size).toBe(1);
    expect((await h.booking(id)).payment_id).toBe(h.payments.paymentIdOf([...keys][0]!));
  });

  test('two keys at once: one payment is requested, the other attempt is refused', async () => {
    const { me, id } = await heldBooking(['9A']);
    h.payments.answer = () => new Promise((r) => setTimeout(r, 100));
    try {
      const replies = await Promise.all(
        ['first-key-0001', 'second-key-0002'].map((key) =>
          h.graphql.request<{ payBooking: { status: string } }>(ops.pay, payInput(id, key), {
            token: me.token,
          }),
        ),
      );
      expect(replies.map((r) => r.data?.payBooking.status ?? codes(r)[0]).sort()).toEqual([
        'BAD_USER_INPUT',
        'PAYMENT_PENDING',
      ]);
    } finally {
      h.payments.answer = () => Promise.resolve();
    }
    const keys = new Set(
      h.payments.requests.filter((r) => r.bookingId === id).map((r) => r.idempotencyKey),
    );
    expect(keys.size).toBe(1);
  });

  test('payments unavailable: PAYMENT_UNAVAILABLE, the booking stays HELD and payable; a late result of that request is still its own', async () => {
    const { me, id } = await heldBooking(['10A']);
    // Payments stored the payment, but its answer is lost on the way back.
    h.payments.answer = () => Promise.reject(new DependencyUnavailableError('timed out'));
    let refused;
    try {
      refused = await h.graphql.request(ops.pay, payInput(id, 'lost-key-0001'), {
        token: me.token,
      });
    } finally {
      h.payments.answer = () => Promise.resolve();
    }
    expect(codes(refused)).toEqual(['PAYMENT_UNAVAILABLE']);
    expect(await h.booking(id)).toMatchObject({
      status: 'HELD',
      payment_id: null,
      payment_requested_at: null,
      status_version: 1,
    });

    const request = h.payments.requests.find((r) => r.bookingId === id)!;
    await h.publish('PaymentCompleted', {
      paymentId: h.payments.paymentIdOf(request.idempotencyKey)!,
      bookingId: id,
      customerId: me.id,
      amount: request.amount,
      idempotencyKey: request.idempotencyKey,
      cardBrand: 'visa',
      cardLast4: '4242',
    });
    await h.sent(confirmSeatsFor(id), 'ConfirmSeats');
    expect(await h.booking(id)).toMatchObject({
      status: 'PAYMENT_PENDING',
      saga_step: 'CONFIRMING_SEATS',
    });
  });

  test('after PAYMENT_UNAVAILABLE another key pays: the earlier request’s result no longer matches and is refunded', async () => {
    const { me, id } = await heldBooking(['11A']);
    h.payments.answer = () => Promise.reject(new DependencyUnavailableError('down'));
    try {
      expect(
        codes(await h.graphql.request(ops.pay, payInput(id, 'down-key-0001'), { token: me.token })),
      ).toEqual(['PAYMENT_UNAVAILABLE']);
    } finally {
      h.payments.answer = () => Promise.resolve();
    }
    const { payBooking } = await h.graphql.data<{ payBooking: { status: string } }>(
      ops.pay,
      payInput(id, 'next-key-0002'),
      { token: me.token },
    );
    expect(payBooking.status).toBe('PAYMENT_PENDING');
    const [first, second] = h.payments.requests.filter((r) => r.bookingId === id);
    expect(first!.idempotencyKey).not.toBe(second!.idempotencyKey);

    const late = h.payments.paymentIdOf(first!.idempotencyKey)!;
    await h.publish('PaymentCompleted', {
      paymentId: late,
      bookingId: id,
      customerId: me.id,
      amount: first!.amount,
      idempotencyKey: first!.idempotencyKey,
      cardBrand: 'visa',
      cardLast4: '4242',
    });
    await h.sent(refundOf(late), 'RefundPayment');
    expect(await h.booking(id)).toMatchObject({
      status: 'PAYMENT_PENDING',
      saga_step: 'AWAITING_PAYMENT',
      payment_id: h.payments.paymentIdOf(second!.idempotencyKey),
    });
  });
});
