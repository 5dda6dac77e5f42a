// The saga's branches against the real PostgreSQL, Redis and RabbitMQ, driven the way the other
// services drive them: events published straight to the broker (duplicated, late, out of order
// or forged), commands of the booking's users through GraphQL.
import { randomUUID } from 'node:crypto';
import type { CommandEnvelope, EventPayloads, Message } from '@airline/shared';
import { waitFor } from '@airline/shared/testing';
import { DependencyUnavailableError } from '@airline/shared';
import {
  codes,
  createInput,
  ops,
  payInput,
  SEAT_PRICE,
  startBookingsHarness,
  type BookingsHarness,
  type LogLine,
} from '../testing/bookings-harness.ts';

let h: BookingsHarness;
beforeAll(async () => {
  h = await startBookingsHarness('sagaevents');
}, 30_000);
afterAll(() => h?.stop());

/** A customer's HELD booking of some seats on a flight of its own. */
async function held(seats = ['12A']) {
  const me = await h.user();
  const flightId = randomUUID();
  const { createBooking } = await h.graphql.data<{ createBooking: { id: string } }>(
    ops.create,
    createInput(flightId, seats),
    { token: me.token },
  );
  return { me, flightId, seats, id: createBooking.id };
}
type Held = Awaited<ReturnType<typeof held>>;

/** payBooking under a key: the booking's status, or the error's code. */
async function payStatus(b: Held, key = `pay-${randomUUID()}`): Promise<string | undefined> {
  const res = await h.graphql.request<{ payBooking: { status: string } }>(
    ops.pay,
    payInput(b.id, key),
    { token: b.me.token },
  );
  return res.data?.payBooking.status ?? codes(res)[0];
}

/** Pays a held booking under a key; returns the request payments received and its payment id. */
async function pay(b: Held, key = `pay-${randomUUID()}`) {
  const status = await payStatus(b, key);
  const request = h.payments.requests.filter((r) => r.bookingId === b.id).at(-1);
  if (!request) throw new Error(`payBooking (${status}) sent payments nothing for ${b.id}`);
  return { status, request, paymentId: h.payments.paymentIdOf(request.idempotencyKey)! };
}
type Paid = Awaited<ReturnType<typeof pay>>;

const completed = (b: Held, p: Paid): EventPayloads['PaymentCompleted'] => ({
  paymentId: p.paymentId,
  bookingId: b.id,
  customerId: b.me.id,
  amount: p.request.amount,
  idempotencyKey: p.request.idempotencyKey,
  cardBrand: 'visa',
  cardLast4: '4242',
});
const failed = (b: Held, p: Paid, code = 'card_declined'): EventPayloads['PaymentFailed'] => {
  const { cardBrand: _b, cardLast4: _l, ...rest } = completed(b, p);
  return { ...rest, code, reason: 'The card was declined' };
};
const seatsConfirmed = (b: Held): EventPayloads['SeatsConfirmed'] => ({
  bookingId: b.id,
  flightId: b.flightId,
  seats: b.seats,
});

const sentFor = (b: Held, type: Message['type']) =>
  h.messages.filter((m) => m.type === type && m.aggregateId === b.id);
const statusOf = async (b: Held) => (await h.booking(b.id)).status;
const until = (b: Held, status: string) =>
  waitFor(`booking ${b.id} ${status}`, async () => (await statusOf(b)) === status);
/** The line the booking's applier writes for one input it did not apply. */
const notApplied = (b: Held, input: string, msg: RegExp) =>
  h.logged(
    (l: LogLine) => l.bookingId === b.id && l.input === input && msg.test(l.msg),
    `${input} for ${b.id} not applied`,
  );

async function paidAndConfirming() {
  const b = await held();
  const p = await pay(b);
  await h.publish('PaymentCompleted', completed(b, p));
  await waitFor('ConfirmSeats', () => sentFor(b, 'ConfirmSeats').length === 1);
  return { b, p };
}

describe('duplicates are applied once', () => {
  test('the same PaymentCompleted delivered twice, and again under a new message id: one ConfirmSeats', async () => {
    const b = await held();
    const p = await pay(b);
    const message = await h.publish('PaymentCompleted', completed(b, p));
    await h.republish(message);
    await h.logged(
      (l) => l.messageId === message.id && l.msg === 'duplicate message skipped',
      'the redelivery skipped by the inbox',
    );
    await h.publish('PaymentCompleted', completed(b, p));
    await notApplied(b, 'PaymentCompleted', /unchanged/);
    expect(sentFor(b, 'ConfirmSeats')).toHaveLength(1);
    expect(await h.booking(b.id)).toMatchObject({
      status: 'PAYMENT_PENDING',
      saga_step: 'CONFIRMING_SEATS',
      status_version: 2,
    });
  });

  test('SeatsConfirmed twice: confirmed once, its tickets issued once', async () => {
    const { b } = await paidAndConfirming();
    await h.publish('SeatsConfirmed', seatsConfirmed(b));
    await until(b, 'CONFIRMED');
    const tickets = await h.sql<{ ticket_number: string }>(
      'SELECT ticket_number FROM booking_passenger WHERE booking_id = $1',
      [b.id],
    );
    await h.publish('SeatsConfirmed', seatsConfirmed(b));
    await notApplied(b, 'SeatsConfirmed', /unchanged/);
    expect(
      await h.sql('SELECT ticket_number FROM booking_passenger WHERE booking_id = $1', [b.id]),
    ).toEqual(tickets);
    await waitFor('BookingConfirmed', () => sentFor(b, 'BookingConfirmed').length === 1);
    expect(sentFor(b, 'BookingConfirmed')).toHaveLength(1);
    expect((await h.booking(b.id)).status_version).toBe(3);
  });

  test('the same PaymentFailed twice counts as one failed payment', async () => {
    const b = await held();
    const p = await pay(b);
    const message = await h.publish('PaymentFailed', failed(b, p));
    await until(b, 'HELD');
    await h.publish('PaymentFailed', failed(b, p));
    await notApplied(b, 'PaymentFailed', /unchanged/);
    await h.republish(message);
    await h.logged(
      (l) => l.messageId === message.id && l.msg === 'duplicate message skipped',
      'the redelivery skipped',
    );
    expect(await h.booking(b.id)).toMatchObject({ status: 'HELD', payment_failures: 1 });
  });
});

describe('a declined payment is not the end of the booking', () => {
  test('declined: HELD with the failure shown, seats still held, the hold unchanged; another card pays', async () => {
    const b = await held(['14A', '14B']);
    const before = await h.booking(b.id);
    const first = await pay(b, 'card-one-0001');
    await h.publish('PaymentFailed', failed(b, first, 'insufficient_funds'));
    await until(b, 'HELD');
    expect(await h.booking(b.id)).toMatchObject({
      hold_expires_at: before.hold_expires_at,
      payment_failures: 1,
      payment_error_code: 'PAYMENT_DECLINED',
      payment_error_message: 'The card was declined',
    });
    expect(await h.heldSeats(b.flightId, b.seats)).toEqual(
      new Map([
        ['14A', b.id],
        ['14B', b.id],
      ]),
    );

    const second = await pay(b, 'card-two-0002');
    expect(second.status).toBe('PAYMENT_PENDING');
    expect(second.request.idempotencyKey).not.toBe(first.request.idempotencyKey);
    // The new attempt is the news: the earlier failure is no longer shown.
    expect(await h.booking(b.id)).toMatchObject({
      payment_error_code: null,
      payment_id: second.paymentId,
    });
    await h.publish('PaymentCompleted', completed(b, second));
    await waitFor('ConfirmSeats', () => sentFor(b, 'ConfirmSeats').length === 1);
    await h.publish('SeatsConfirmed', seatsConfirmed(b));
    await until(b, 'CONFIRMED');
    expect(sentFor(b, 'ReleaseSeats')).toHaveLength(0);
  });

  test('the same key as the declined attempt answers with the booking as it is and asks payments nothing', async () => {
    const b = await held();
    const first = await pay(b, 'same-again-0001');
    await h.publish('PaymentFailed', failed(b, first));
    await until(b, 'HELD');
    const asked = h.payments.requests.length;
    expect(await payStatus(b, 'same-again-0001')).toBe('HELD');
    expect(h.payments.requests.length).toBe(asked);
  });

  test('the third failed payment ends the booking PAYMENT_FAILED and frees its seats', async () => {
    const b = await held(['15A', '15B']);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const p = await pay(b, `attempt-${attempt}-0000`);
      expect(p.status).toBe('PAYMENT_PENDING');
      await h.publish('PaymentFailed', failed(b, p));
      await waitFor(`failure ${attempt} applied`, async () => {
        const row = await h.booking(b.id);
        return row.payment_failures === attempt && row.status !== 'PAYMENT_PENDING';
      });
    }
    expect(await h.booking(b.id)).toMatchObject({
      status: 'PAYMENT_FAILED',
      hold_expires_at: null,
      status_reason: expect.stringContaining('card_declined'),
    });
    expect(await h.heldSeats(b.flightId, b.seats)).toEqual(new Map());
    expect(await payStatus(b, 'attempt-4-0000')).toBe('BAD_USER_INPUT');
  });

  test('a failure that arrives after the hold lapsed ends the booking PAYMENT_FAILED', async () => {
    const b = await held();
    const p = await pay(b);
    await h.sql(`UPDATE booking SET hold_expires_at = now() - interval '1 second' WHERE id = $1`, [
      b.id,
    ]);
    await h.publish('PaymentFailed', failed(b, p, 'provider_unavailable'));
    await until(b, 'PAYMENT_FAILED');
    expect(await h.booking(b.id)).toMatchObject({ payment_error_code: 'PAYMENT_UNAVAILABLE' });
    expect(await h.heldSeats(b.flightId, b.seats)).toEqual(new Map());
  });

  test('a payment pending past its hold is not expired; when it completes the booking is confirmed', async () => {
    const b = await held();
    const p = await pay(b);
    const witness = await held();
    await h.sql(
      `UPDATE booking SET hold_expires_at = now() - interval '1 second' WHERE id = ANY($1)`,
      [[b.id, witness.id]],
    );
    // The sweeper has passed both: it expired the unpaid one and left the paying one alone.
    await until(witness, 'EXPIRED');
    expect(await statusOf(b)).toBe('PAYMENT_PENDING');
    await h.publish('PaymentCompleted', completed(b, p));
    await waitFor('ConfirmSeats', () => sentFor(b, 'ConfirmSeats').length === 1);
    await h.publish('SeatsConfirmed', seatsConfirmed(b));
    await until(b, 'CONFIRMED');
  });
});

describe('late and out-of-order events', () => {
  test('PaymentCompleted for a booking that expired after payments’ answer was lost: refunded, still EXPIRED', async () => {
    const b = await held();
    h.payments.answer = () => Promise.reject(new DependencyUnavailableError('timed out'));
    let p: Paid;
    try {
      p = await pay(b);
    } finally {
      h.payments.answer = () => Promise.resolve();
    }
    expect(p.status).toBe('PAYMENT_UNAVAILABLE');
    await h.sql(`UPDATE booking SET hold_expires_at = now() - interval '1 second' WHERE id = $1`, [
      b.id,
    ]);
    await until(b, 'EXPIRED');
    const before = await h.booking(b.id);
    await h.publish('PaymentCompleted', completed(b, p));
    const refund = (await h.sent(
      (m) => m.type === 'RefundPayment' && m.aggregateId === b.id,
      'RefundPayment',
    )) as CommandEnvelope<'RefundPayment'>;
    expect(refund.payload).toMatchObject({ paymentId: p.paymentId, amount: null });
    expect(await h.booking(b.id)).toEqual(before);
  });

  test('PaymentCompleted for a booking cancelled while its payment was pending: refunded, still CANCELLED', async () => {
    const b = await held();
    const p = await pay(b);
    await h.graphql.data(ops.cancel, { id: b.id }, { token: b.me.token });
    const before = await h.booking(b.id);
    await h.publish('PaymentCompleted', completed(b, p));
    await h.sent(
      (m) =>
        m.type === 'RefundPayment' &&
        (m as CommandEnvelope<'RefundPayment'>).payload.paymentId === p.paymentId,
      'RefundPayment',
    );
    expect(await h.booking(b.id)).toEqual(before);
    expect(sentFor(b, 'ConfirmSeats')).toHaveLength(0);
  });

  test('SeatsConfirmed for a booking cancelled while flights was booking its seats: ReleaseSeats', async () => {
    const { b, p } = await paidAndConfirming();
    await h.graphql.data(ops.cancel, { id: b.id }, { token: b.me.token });
    await waitFor('the cancellation’s refund', () => sentFor(b, 'RefundPayment').length === 1);
    const before = await h.booking(b.id);
    await h.publish('SeatsConfirmed', seatsConfirmed(b));
    const release = (await h.sent(
      (m) => m.type === 'ReleaseSeats' && m.aggregateId === b.id,
      'ReleaseSeats',
    )) as CommandEnvelope<'ReleaseSeats'>;
    expect(release.payload).toMatchObject({ flightId: b.flightId, seats: b.seats });
    expect(await h.booking(b.id)).toEqual(before);
    // Refunded once, by the cancellation; a late duplicate of its payment refunds nothing more.
    await h.publish('PaymentCompleted', completed(b, p));
    await notApplied(b, 'PaymentCompleted', /unchanged/);
    expect(sentFor(b, 'RefundPayment')).toHaveLength(1);
  });

  test('a late PaymentFailed, after a cancellation or a confirmation, is ignored', async () => {
    const cancelled = await held();
    const p1 = await pay(cancelled);
    await h.graphql.data(ops.cancel, { id: cancelled.id }, { token: cancelled.me.token });
    const { b: confirmed, p: p2 } = await paidAndConfirming();
    await h.publish('SeatsConfirmed', seatsConfirmed(confirmed));
    await until(confirmed, 'CONFIRMED');

    for (const [b, p] of [
      [cancelled, p1],
      [confirmed, p2],
    ] as const) {
      const before = await h.booking(b.id);
      const outbox = await h.outboxCount(b.id);
      await h.publish('PaymentFailed', failed(b, p));
      await notApplied(b, 'PaymentFailed', /unchanged/);
      expect(await h.booking(b.id)).toEqual(before);
      expect(await h.outboxCount(b.id)).toBe(outbox);
    }
  });

  test('a PaymentFailed that overtakes payments’ answer: the booking stays HELD and payBooking answers HELD', async () => {
    const b = await held();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    h.payments.answer = (request) => (request.bookingId === b.id ? gate : Promise.resolve());
    try {
      const paying = h.graphql.request<{ payBooking: { status: string } }>(
        ops.pay,
        payInput(b.id, 'overtaken-0001'),
        { token: b.me.token },
      );
      const request = await waitFor('the request', () =>
        h.payments.requests.find((r) => r.bookingId === b.id),
      );
      await h.publish(
        'PaymentFailed',
        failed(b, {
          status: 'PENDING',
          request,
          paymentId: h.payments.paymentIdOf(request.idempotencyKey)!,
        }),
      );
      await waitFor(
        'the failure applied',
        async () => (await h.booking(b.id)).payment_failures === 1,
      );
      release();
      expect((await paying).data?.payBooking.status).toBe('HELD');
    } finally {
      release();
      h.payments.answer = () => Promise.resolve();
    }
    // It never went PAYMENT_PENDING: no status change was announced.
    expect(await h.booking(b.id)).toMatchObject({ status: 'HELD', status_version: 1 });
  });
});

describe('a payment result that does not match is refused', () => {
  test.each([
    ['amount', { amount: { amountMinor: SEAT_PRICE.amountMinor - 1, currency: 'USD' } }],
    ['customer', { customerId: randomUUID() }],
  ])(
    'PaymentFailed with another %s: nothing changes, a security event is logged',
    async (field, change) => {
      const b = await held();
      const p = await pay(b);
      const before = await h.booking(b.id);
      await h.publish('PaymentFailed', { ...failed(b, p), ...change });
      const log = await h.logged(
        (l) => l.securityEvent === true && l.bookingId === b.id,
        'the security event',
      );
      expect((log.mismatches as { field: string }[]).map((m) => m.field)).toEqual([
        field === 'amount' ? 'amount' : 'customerId',
      ]);
      expect(await h.booking(b.id)).toEqual(before);
    },
  );
});

describe('every message payload is validated before the saga reads it', () => {
  test('a PaymentCompleted whose amount is not a number is dead-lettered at once, naming the field; the booking is unchanged', async () => {
    const b = await held();
    const p = await pay(b);
    const before = await h.booking(b.id);
    const malformed = {
      ...completed(b, p),
      amount: { amountMinor: '10000', currency: 'USD' },
    } as unknown as EventPayloads['PaymentCompleted'];
    const message = await h.publish('PaymentCompleted', malformed);
    const dead = await h.logged(
      (l) => l.messageId === message.id && l.msg === 'message dead-lettered',
      'the dead letter',
    );
    expect(dead).toMatchObject({ reason: 'permanent', retries: 0 });
    expect(JSON.stringify(dead.err)).toMatch(
      /malformed PaymentCompleted payload: amount\.amountMinor/,
    );
    expect(await h.booking(b.id)).toEqual(before);
  });
});

describe('what the state machine forbids is refused, and nothing changes', () => {
  async function unchangedBy(b: Held, act: () => Promise<void>) {
    const before = await h.booking(b.id);
    const outbox = await h.outboxCount(b.id);
    await act();
    expect(await h.booking(b.id)).toEqual(before);
    expect(await h.outboxCount(b.id)).toBe(outbox);
  }

  test('seats confirmed or rejected for a HELD booking that never paid', async () => {
    const b = await held();
    for (const type of ['SeatsConfirmed', 'SeatsRejected'] as const) {
      await unchangedBy(b, async () => {
        await h.publish(type, { ...seatsConfirmed(b), reason: 'taken' });
        await notApplied(b, type, /refused/);
      });
    }
    expect(await h.heldSeats(b.flightId, b.seats)).toEqual(new Map([['12A', b.id]]));
  });

  test('seats rejected for a CONFIRMED booking', async () => {
    const { b } = await paidAndConfirming();
    await h.publish('SeatsConfirmed', seatsConfirmed(b));
    await until(b, 'CONFIRMED');
    await unchangedBy(b, async () => {
      await h.publish('SeatsRejected', { ...seatsConfirmed(b), reason: 'taken' });
      await notApplied(b, 'SeatsRejected', /refused/);
    });
  });

  test('cancelling an EXPIRED or PAYMENT_FAILED booking; paying a CANCELLED, EXPIRED or CONFIRMED one with a new key', async () => {
    const expired = await held();
    await h.sql(`UPDATE booking SET hold_expires_at = now() - interval '1 second' WHERE id = $1`, [
      expired.id,
    ]);
    await until(expired, 'EXPIRED');
    const paymentFailed = await held();
    await h.sql(`UPDATE booking SET payment_failures = 2 WHERE id = $1`, [paymentFailed.id]);
    await h.publish('PaymentFailed', failed(paymentFailed, await pay(paymentFailed)));
    await until(paymentFailed, 'PAYMENT_FAILED');
    const cancelled = await held();
    await h.graphql.data(ops.cancel, { id: cancelled.id }, { token: cancelled.me.token });
    const { b: confirmed } = await paidAndConfirming();
    await h.publish('SeatsConfirmed', seatsConfirmed(confirmed));
    await until(confirmed, 'CONFIRMED');

    const cancel = async (b: Held) =>
      codes(await h.graphql.request(ops.cancel, { id: b.id }, { token: b.me.token }))[0];
    const attempts: [string, Held, () => Promise<string | undefined>, string][] = [
      ['cancel EXPIRED', expired, () => cancel(expired), 'BAD_USER_INPUT'],
      ['cancel PAYMENT_FAILED', paymentFailed, () => cancel(paymentFailed), 'BAD_USER_INPUT'],
      ['pay CANCELLED', cancelled, () => payStatus(cancelled), 'BAD_USER_INPUT'],
      ['pay EXPIRED', expired, () => payStatus(expired), 'HOLD_EXPIRED'],
      ['pay CONFIRMED', confirmed, () => payStatus(confirmed), 'BAD_USER_INPUT'],
    ];
    for (const [what, b, act, code] of attempts) {
      await unchangedBy(b, async () => expect([what, await act()]).toEqual([what, code]));
    }
  });
});
