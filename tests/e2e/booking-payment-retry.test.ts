// A declined card is not the end of a booking: through the gateway, against the provider
// simulator. Every suite ends with the money check in `stack.stop()` (one charge per confirmed
// booking at its amount, everything else refunded), which also covers these.
import type { EventEnvelope } from '@airline/shared';
import { errorCodes } from '@airline/shared/testing';
import { useBookingStack } from '../testkit/stack.ts';
import {
  CARDS,
  createBooking,
  eventually,
  freshFlight,
  heldAfterFailure,
  newCustomer,
  payBooking,
  providerCharges,
  providerStats,
  readBooking,
  seatStatuses,
  tapMessages,
  waitForBooking,
  waitForStatus,
  watchSeats,
} from '../testkit/flows.ts';

const suite = useBookingStack('payretry');
let tap: Awaited<ReturnType<typeof tapMessages>>;
beforeAll(async () => {
  tap = await tapMessages(suite.stack.config, [{ exchange: 'booking.events', routingKey: '#' }]);
}, 60_000);
afterAll(() => tap?.close());

/** The booking's status trail as its BookingStatusChanged events tell it, once `count` are in. */
async function trail(bookingId: string, count: number): Promise<string[]> {
  const events = await eventually(
    async () =>
      tap.messages.filter(
        (m): m is EventEnvelope<'BookingStatusChanged'> =>
          m.type === 'BookingStatusChanged' && m.aggregateId === bookingId,
      ),
    (list) => list.length >= count,
  );
  return events
    .map((e) => e.payload)
    .sort((a, b) => a.version - b.version)
    .map((p) => p.status);
}

test('declined, then paid with another card: HELD with the failure shown, then CONFIRMED; the seats are never released in between', async () => {
  const flightId = await freshFlight(suite.gw, suite.agent);
  const me = await newCustomer(suite.gw);
  const seats = ['21A', '21B'];
  const booking = (await createBooking(suite.gw, me.token, flightId, seats)).data!.createBooking;
  const watcher = watchSeats(suite.gw, flightId, seats);

  expect(
    (await payBooking(suite.gw, me.token, booking.id, CARDS.declined, 'first-card')).data
      ?.payBooking.status,
  ).toBe('PAYMENT_PENDING');
  const declined = await waitForBooking(
    suite.gw,
    me.token,
    booking.id,
    heldAfterFailure,
    'HELD after the decline',
  );
  expect(declined).toMatchObject({
    status: 'HELD',
    holdExpiresAt: booking.holdExpiresAt,
    paymentError: { code: 'PAYMENT_DECLINED', message: 'The card was declined' },
    payment: { status: 'FAILED', failureReason: 'card_declined' },
  });

  const paying = await payBooking(suite.gw, me.token, booking.id, CARDS.approved, 'second-card');
  expect(paying.data?.payBooking).toMatchObject({ status: 'PAYMENT_PENDING', paymentError: null });
  const confirmed = await waitForStatus(suite.gw, me.token, booking.id, ['CONFIRMED']);
  const seen = await watcher.stop();

  // Held all along, then booked: never AVAILABLE (released) at any point in between.
  expect(
    Object.values(seen)
      .flat()
      .filter((s) => s !== 'HELD' && s !== 'BOOKED'),
  ).toEqual([]);
  expect(seen['21A']).toContain('HELD');
  expect(await seatStatuses(suite.gw, flightId, seats)).toEqual({
    '21A': 'BOOKED',
    '21B': 'BOOKED',
  });
  expect(confirmed.holdExpiresAt).toBeNull();
  expect(confirmed.paymentError).toBeNull();
  for (const p of confirmed.passengers) expect(p.ticketNumber).toMatch(/^999\d{10}$/);
  // Every attempt, newest first; `payment` is the latest.
  expect(confirmed.payments?.map((p) => [p.status, p.failureReason])).toEqual([
    ['SUCCEEDED', null],
    ['FAILED', 'card_declined'],
  ]);
  expect(confirmed.payment?.id).toBe(confirmed.payments?.[0]?.id);
  expect(await trail(booking.id, 5)).toEqual([
    'HELD',
    'PAYMENT_PENDING',
    'HELD',
    'PAYMENT_PENDING',
    'CONFIRMED',
  ]);
  const charges = await providerCharges(suite.stack.config, confirmed.payment!.id);
  expect(charges.map((c) => [c.status, c.amountRefunded])).toEqual([['succeeded', 0]]);
});

test('three declined payments end the booking PAYMENT_FAILED and free its seats; it cannot be paid again', async () => {
  const flightId = await freshFlight(suite.gw, suite.agent);
  const me = await newCustomer(suite.gw);
  const id = (await createBooking(suite.gw, me.token, flightId, ['22C'])).data!.createBooking.id;
  const cards = [CARDS.declined, CARDS.insufficientFunds, CARDS.declined];
  for (const [n, card] of cards.entries()) {
    expect(
      (await payBooking(suite.gw, me.token, id, card, `attempt-${n}`)).data?.payBooking.status,
    ).toBe('PAYMENT_PENDING');
    await waitForBooking(
      suite.gw,
      me.token,
      id,
      (b) => (b.payments?.length ?? 0) === n + 1 && b.status !== 'PAYMENT_PENDING',
      `failure ${n + 1} applied`,
    );
  }
  const failed = await readBooking(suite.gw, me.token, id);
  expect(failed).toMatchObject({
    status: 'PAYMENT_FAILED',
    holdExpiresAt: null,
    paymentError: { code: 'PAYMENT_DECLINED' },
  });
  expect(failed.statusReason).toContain('card_declined');
  expect(failed.payments?.map((p) => p.failureReason)).toEqual([
    'card_declined',
    'insufficient_funds',
    'card_declined',
  ]);
  expect(await seatStatuses(suite.gw, flightId, ['22C'])).toEqual({ '22C': 'AVAILABLE' });
  expect(errorCodes(await payBooking(suite.gw, me.token, id, CARDS.approved, 'attempt-3'))).toEqual(
    ['BAD_USER_INPUT'],
  );
  const other = await newCustomer(suite.gw);
  expect(
    (await createBooking(suite.gw, other.token, flightId, ['22C'])).data?.createBooking.status,
  ).toBe('HELD');
});

test('cancelled while PAYMENT_PENDING: CANCELLED at once, seats free, and the payment that completes afterwards is refunded once', async () => {
  const flightId = await freshFlight(suite.gw, suite.agent);
  const me = await newCustomer(suite.gw);
  const id = (await createBooking(suite.gw, me.token, flightId, ['23A'])).data!.createBooking.id;
  // This card's charge takes two provider timeouts: it completes after the cancellation.
  expect(
    (await payBooking(suite.gw, me.token, id, CARDS.slowThenApproved)).data?.payBooking.status,
  ).toBe('PAYMENT_PENDING');
  const { cancelBooking } = await suite.gw.data<{ cancelBooking: { status: string } }>(
    'mutation($id: ID!) { cancelBooking(id: $id, reason: "changed my mind") { status } }',
    { id },
    { token: me.token },
  );
  expect(cancelBooking.status).toBe('CANCELLED');
  expect(await seatStatuses(suite.gw, flightId, ['23A'])).toEqual({ '23A': 'AVAILABLE' });

  const refunded = await eventually(
    () => readBooking(suite.gw, me.token, id),
    (b) => b.payment?.status === 'REFUNDED',
    30_000,
  );
  expect(refunded.status).toBe('CANCELLED');
  expect(refunded.payment?.refunds).toHaveLength(1);
  const [charge] = await providerCharges(suite.stack.config, refunded.payment!.id).then((all) =>
    all.filter((c) => c.status === 'succeeded'),
  );
  expect(charge?.amountRefunded).toBe(charge?.amount);
  expect(await trail(id, 3)).toEqual(['HELD', 'PAYMENT_PENDING', 'CANCELLED']);
}, 60_000);

test('a flight cancelled while payments are in flight: every booking ends CANCELLED, every charge refunded exactly once', async () => {
  const flightId = await freshFlight(suite.gw, suite.agent);
  const confirmed = await newCustomer(suite.gw);
  const paying = await newCustomer(suite.gw);
  const slow = await newCustomer(suite.gw);
  const holding = await newCustomer(suite.gw);
  const book = async (who: { token: string }, seat: string) =>
    (await createBooking(suite.gw, who.token, flightId, [seat])).data!.createBooking.id;

  const paidId = await book(confirmed, '24A');
  await payBooking(suite.gw, confirmed.token, paidId, CARDS.approved);
  await waitForStatus(suite.gw, confirmed.token, paidId, ['CONFIRMED']);
  const payingId = await book(paying, '24B');
  const slowId = await book(slow, '24C');
  const heldId = await book(holding, '24D');
  const before = await providerStats(suite.stack.config);

  // Two payments in flight (one fast, one that takes two provider timeouts) as the airline cancels.
  await Promise.all([
    payBooking(suite.gw, paying.token, payingId, CARDS.approved),
    payBooking(suite.gw, slow.token, slowId, CARDS.slowThenApproved),
  ]);
  await suite.gw.data(
    'mutation($id: ID!) { cancelFlight(id: $id, reason: "volcanic ash") { status } }',
    { id: flightId },
    { token: suite.agent },
  );

  const everyone: [{ token: string }, string][] = [
    [confirmed, paidId],
    [paying, payingId],
    [slow, slowId],
    [holding, heldId],
  ];
  const ends = await Promise.all(
    everyone.map(async ([who, id]) => {
      const b = await waitForStatus(suite.gw, who.token, id, ['CANCELLED'], 30_000);
      expect(b.statusReason).toContain('volcanic ash');
      return eventually(
        () => readBooking(suite.gw, who.token, id),
        // A booking whose card was charged settles REFUNDED; one never charged has no payment.
        (x) => x.payment === null || x.payment.status === 'REFUNDED',
        30_000,
      );
    }),
  );
  const paid = ends.filter((b) => b.payment !== null);
  expect(paid.map((b) => b.id).sort()).toEqual([paidId, payingId, slowId].sort());
  for (const b of paid) {
    expect(b.payment!.refunds).toHaveLength(1);
    const charges = await providerCharges(suite.stack.config, b.payment!.id);
    expect(
      charges.filter((c) => c.status === 'succeeded').map((c) => c.amount - c.amountRefunded),
    ).toEqual([0]);
  }
  // The provider's own counters: one refund per charged booking, no more.
  const after = await providerStats(suite.stack.config);
  expect(after.refunds.succeeded - before.refunds.succeeded).toBe(3);
  expect(await seatStatuses(suite.gw, flightId, ['24A', '24B', '24C', '24D'])).toEqual({
    '24A': 'AVAILABLE',
    '24B': 'AVAILABLE',
    '24C': 'AVAILABLE',
    '24D': 'AVAILABLE',
  });
}, 90_000);
