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
  readBooking,
  seatStatuses,
  waitForBooking,
  waitForStatus,
} from '../testkit/flows.ts';

const suite = useBookingStack('saga');

describe('booking saga through the gateway', () => {
  test('a customer holds 2 seats, pays with a good card, and gets a confirmed booking with e-tickets', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const me = await newCustomer(suite.gw);
    const held = await createBooking(suite.gw, me.token, flightId, ['10A', '10B']);
    const booking = held.data!.createBooking;
    expect(booking).toMatchObject({ status: 'HELD', flight: { id: flightId } });
    expect(booking.reference).toMatch(/^[A-Z2-9]{6}$/);
    const holdMs = Date.parse(booking.holdExpiresAt!) - Date.now();
    expect(holdMs).toBeGreaterThan(590_000);
    expect(holdMs).toBeLessThanOrEqual(600_000);
    const sum = booking.passengers.reduce(
      (s, p) => s + Math.round(Number(p.price.amount) * 100),
      0,
    );
    expect(Math.round(Number(booking.totalPrice.amount) * 100)).toBe(sum);
    expect(await seatStatuses(suite.gw, flightId, ['10A', '10B'])).toEqual({
      '10A': 'HELD',
      '10B': 'HELD',
    });

    const paying = await payBooking(suite.gw, me.token, booking.id, CARDS.approved);
    expect(paying.data?.payBooking.status).toBe('PAYMENT_PENDING');
    const confirmed = await waitForStatus(suite.gw, me.token, booking.id, [
      'CONFIRMED',
      'PAYMENT_FAILED',
      'CANCELLED',
    ]);
    expect(confirmed.status).toBe('CONFIRMED');
    expect(confirmed.holdExpiresAt).toBeNull();
    for (const p of confirmed.passengers) expect(p.ticketNumber).toMatch(/^999\d{10}$/);
    expect(confirmed.payment).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 1,
      failureReason: null,
    });
    expect(await seatStatuses(suite.gw, flightId, ['10A', '10B'])).toEqual({
      '10A': 'BOOKED',
      '10B': 'BOOKED',
    });

    const { me: history } = await suite.gw.data<{
      me: { bookings: { id: string; status: string }[] };
    }>('{ me { bookings { id status } } }', {}, { token: me.token });
    expect(history.bookings).toEqual([{ id: booking.id, status: 'CONFIRMED' }]);
  });

  test.each([
    ['declined', CARDS.declined, 'card_declined'],
    ['insufficient funds', CARDS.insufficientFunds, 'insufficient_funds'],
  ])(
    'a %s card brings the booking back to HELD with the failure shown; its seats stay held',
    async (_l, card, reason) => {
      const flightId = await freshFlight(suite.gw, suite.agent);
      const me = await newCustomer(suite.gw);
      const { data } = await createBooking(suite.gw, me.token, flightId, ['12C', '12D']);
      const { id, holdExpiresAt } = data!.createBooking;
      expect((await payBooking(suite.gw, me.token, id, card)).data?.payBooking.status).toBe(
        'PAYMENT_PENDING',
      );
      const failed = await waitForBooking(suite.gw, me.token, id, heldAfterFailure, 'HELD again');
      expect(failed).toMatchObject({
        holdExpiresAt,
        paymentError: { code: 'PAYMENT_DECLINED', message: expect.any(String) },
        payment: { status: 'FAILED', failureReason: reason },
      });
      expect(await seatStatuses(suite.gw, flightId, ['12C', '12D'])).toEqual({
        '12C': 'HELD',
        '12D': 'HELD',
      });
      // Nobody else can take them meanwhile.
      const other = await newCustomer(suite.gw);
      expect(errorCodes(await createBooking(suite.gw, other.token, flightId, ['12C']))).toEqual([
        'SEAT_UNAVAILABLE',
      ]);
    },
  );

  test('a card that times out twice is retried with backoff and the booking is confirmed', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const me = await newCustomer(suite.gw);
    const id = (await createBooking(suite.gw, me.token, flightId, ['14A'])).data!.createBooking.id;
    await payBooking(suite.gw, me.token, id, CARDS.slowThenApproved);
    const done = await waitForStatus(
      suite.gw,
      me.token,
      id,
      ['CONFIRMED', 'PAYMENT_FAILED'],
      30_000,
    );
    expect(done.status).toBe('CONFIRMED');
    expect(done.payment?.attempts).toBe(3);
  });

  test('a seat someone else holds fails the whole request with SEAT_UNAVAILABLE: no partial hold', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const first = await newCustomer(suite.gw);
    const second = await newCustomer(suite.gw);
    expect(
      (await createBooking(suite.gw, first.token, flightId, ['20A'])).data?.createBooking.status,
    ).toBe('HELD');
    const clash = await createBooking(suite.gw, second.token, flightId, ['20B', '20A']);
    expect(errorCodes(clash)).toEqual(['SEAT_UNAVAILABLE']);
    expect(clash.errors?.[0]?.extensions?.seats).toEqual(['20A']);
    expect(await seatStatuses(suite.gw, flightId, ['20A', '20B'])).toEqual({
      '20A': 'HELD',
      '20B': 'AVAILABLE',
    });
  });

  test('100 customers racing for 12A: exactly one holds it, pays, and is the one CONFIRMED booking and charge', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const customers = await Promise.all(Array.from({ length: 100 }, () => newCustomer(suite.gw)));
    const results = await Promise.all(
      customers.map((c) => createBooking(suite.gw, c.token, flightId, ['12A'])),
    );
    const held = results.flatMap((r, i) =>
      r.data?.createBooking?.status === 'HELD'
        ? [{ who: customers[i]!, booking: r.data.createBooking }]
        : [],
    );
    expect(held).toHaveLength(1);
    expect(results.filter((r) => errorCodes(r)[0] === 'SEAT_UNAVAILABLE')).toHaveLength(99);

    // Everyone pays at once: only the holder has a booking to pay; the others' attempts on it
    // are NOT_FOUND (it is not theirs).
    const [winner] = held;
    const payments = await Promise.all(
      customers.map((c, i) =>
        payBooking(suite.gw, c.token, winner!.booking.id, CARDS.approved, `race-pay-${i}`),
      ),
    );
    expect(payments.filter((p) => p.data?.payBooking)).toHaveLength(1);
    expect(payments.filter((p) => errorCodes(p)[0] === 'NOT_FOUND')).toHaveLength(99);
    const confirmed = await waitForStatus(suite.gw, winner!.who.token, winner!.booking.id, [
      'CONFIRMED',
    ]);

    const { bookings } = await suite.gw.data<{ bookings: { id: string; status: string }[] }>(
      'query($f: ID!) { bookings(flightId: $f) { id status } }',
      { f: flightId },
      { token: suite.agent },
    );
    expect(bookings).toEqual([{ id: winner!.booking.id, status: 'CONFIRMED' }]);
    const charges = await providerCharges(suite.stack.config, confirmed.payment!.id);
    expect(charges.filter((c) => c.status === 'succeeded')).toHaveLength(1);
    expect(await seatStatuses(suite.gw, flightId, ['12A'])).toEqual({ '12A': 'BOOKED' });
  }, 60_000);

  test('retrying createBooking with the same idempotency key returns the same booking; another request with it conflicts', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const me = await newCustomer(suite.gw);
    const a = await createBooking(suite.gw, me.token, flightId, ['7A'], 'create-key-0001');
    const b = await createBooking(suite.gw, me.token, flightId, ['7A'], 'create-key-0001');
    expect(b.data?.createBooking.id).toBe(a.data?.createBooking.id);
    const c = await createBooking(suite.gw, me.token, flightId, ['7B'], 'create-key-0001');
    expect(errorCodes(c)).toEqual(['IDEMPOTENCY_CONFLICT']);
    expect(await seatStatuses(suite.gw, flightId, ['7B'])).toEqual({ '7B': 'AVAILABLE' });
  });

  test('paying twice with the same key charges once and returns the same booking', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const me = await newCustomer(suite.gw);
    const id = (await createBooking(suite.gw, me.token, flightId, ['8A'])).data!.createBooking.id;
    const [one, two] = await Promise.all([
      payBooking(suite.gw, me.token, id, CARDS.approved, 'pay-key-1234'),
      payBooking(suite.gw, me.token, id, CARDS.approved, 'pay-key-1234'),
    ]);
    expect(
      [one.data?.payBooking.status, two.data?.payBooking.status].every(
        (s) => s === 'PAYMENT_PENDING' || s === 'CONFIRMED',
      ),
    ).toBe(true);
    const done = await waitForStatus(suite.gw, me.token, id, ['CONFIRMED']);
    expect(done.payment?.attempts).toBe(1);
    const again = await payBooking(suite.gw, me.token, id, CARDS.approved, 'pay-key-1234');
    expect(again.data?.payBooking.status).toBe('CONFIRMED');
    const otherKey = await payBooking(suite.gw, me.token, id, CARDS.approved, 'pay-key-5678');
    expect(errorCodes(otherKey)).toEqual(['BAD_USER_INPUT']);
  });

  test('cancelling a held booking frees its seats; cancelling a paid one refunds it', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const me = await newCustomer(suite.gw);
    const held = (await createBooking(suite.gw, me.token, flightId, ['15A'])).data!.createBooking
      .id;
    const { cancelBooking } = await suite.gw.data<{ cancelBooking: { status: string } }>(
      'mutation($id: ID!) { cancelBooking(id: $id, reason: "changed plans") { status } }',
      { id: held },
      { token: me.token },
    );
    expect(cancelBooking.status).toBe('CANCELLED');
    expect(await seatStatuses(suite.gw, flightId, ['15A'])).toEqual({ '15A': 'AVAILABLE' });

    const paid = (await createBooking(suite.gw, me.token, flightId, ['16A'])).data!.createBooking
      .id;
    await payBooking(suite.gw, me.token, paid, CARDS.approved);
    await waitForStatus(suite.gw, me.token, paid, ['CONFIRMED']);
    await suite.gw.data(
      'mutation($id: ID!) { cancelBooking(id: $id) { status } }',
      { id: paid },
      { token: me.token },
    );
    const booking = await eventually(
      () => readBooking(suite.gw, me.token, paid),
      (b) => b.payment?.status === 'REFUNDED',
    );
    expect(booking.status).toBe('CANCELLED');
    expect(booking.payment?.status).toBe('REFUNDED');
    expect(booking.payment?.refunds).toHaveLength(1);
    expect(
      await eventually(
        () => seatStatuses(suite.gw, flightId, ['16A']),
        (s) => s['16A'] === 'AVAILABLE',
      ),
    ).toEqual({ '16A': 'AVAILABLE' });
  });

  test('an airline cancelling the flight cancels and refunds every booking on it', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const a = await newCustomer(suite.gw);
    const b = await newCustomer(suite.gw);
    const confirmed = (await createBooking(suite.gw, a.token, flightId, ['25A'])).data!
      .createBooking.id;
    await payBooking(suite.gw, a.token, confirmed, CARDS.approved);
    await waitForStatus(suite.gw, a.token, confirmed, ['CONFIRMED']);
    const held = (await createBooking(suite.gw, b.token, flightId, ['25B'])).data!.createBooking.id;

    await suite.gw.data(
      'mutation($id: ID!) { cancelFlight(id: $id, reason: "crew shortage") { status } }',
      { id: flightId },
      { token: suite.agent },
    );
    const cancelled = await waitForStatus(suite.gw, a.token, confirmed, ['CANCELLED']);
    expect(cancelled.statusReason).toContain('crew shortage');
    expect((await waitForStatus(suite.gw, b.token, held, ['CANCELLED'])).status).toBe('CANCELLED');
    const refunded = await eventually(
      () => readBooking(suite.gw, a.token, confirmed),
      (b) => b.payment?.status === 'REFUNDED',
    );
    expect(refunded.payment?.status).toBe('REFUNDED');
    // A cancelled flight cannot be booked.
    expect(errorCodes(await createBooking(suite.gw, b.token, flightId, ['9A']))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  test('bookings are private: another customer gets NOT_FOUND, an agent sees it, anonymous is UNAUTHENTICATED', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const owner = await newCustomer(suite.gw);
    const stranger = await newCustomer(suite.gw);
    const id = (await createBooking(suite.gw, owner.token, flightId, ['5C'])).data!.createBooking
      .id;
    const q = 'query($id: ID!) { booking(id: $id) { id status } }';
    expect(errorCodes(await suite.gw.request(q, { id }, { token: stranger.token }))).toEqual([
      'NOT_FOUND',
    ]);
    expect(
      errorCodes(
        await suite.gw.request(
          'mutation($id: ID!) { cancelBooking(id: $id) { id } }',
          { id },
          { token: stranger.token },
        ),
      ),
    ).toEqual(['NOT_FOUND']);
    expect(errorCodes(await payBooking(suite.gw, stranger.token, id, CARDS.approved))).toEqual([
      'NOT_FOUND',
    ]);
    expect(
      (await suite.gw.data<{ booking: { id: string } }>(q, { id }, { token: suite.agent })).booking
        .id,
    ).toBe(id);
    expect(errorCodes(await suite.gw.request(q, { id }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await createBooking(suite.gw, '', flightId, ['5D']))).toEqual([
      'UNAUTHENTICATED',
    ]);
    // The stranger's failed attempts changed nothing.
    expect((await readBooking(suite.gw, owner.token, id)).status).toBe('HELD');
  });

  test('bad input is BAD_USER_INPUT and holds nothing', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const me = await newCustomer(suite.gw);
    expect(errorCodes(await createBooking(suite.gw, me.token, flightId, ['99Z']))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(errorCodes(await createBooking(suite.gw, me.token, flightId, ['4A', '4A']))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(
      errorCodes(
        await createBooking(suite.gw, me.token, '00000000-0000-4000-8000-000000000000', ['4A']),
      ),
    ).toEqual(['NOT_FOUND']);
    expect(await seatStatuses(suite.gw, flightId, ['4A'])).toEqual({ '4A': 'AVAILABLE' });
  });

  test('with mixed cards, every confirmed booking has exactly one successful payment and no failed booking was charged', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const cards = [
      CARDS.approved,
      CARDS.declined,
      CARDS.approved,
      CARDS.insufficientFunds,
      CARDS.approved,
      CARDS.declined,
    ];
    const runs = await Promise.all(
      cards.map(async (card, i) => {
        const c = await newCustomer(suite.gw);
        const id = (await createBooking(suite.gw, c.token, flightId, [`${22 + i}A`])).data!
          .createBooking.id;
        await payBooking(suite.gw, c.token, id, card);
        return waitForBooking(
          suite.gw,
          c.token,
          id,
          (b) => b.status === 'CONFIRMED' || heldAfterFailure(b),
          'CONFIRMED, or HELD after a failure',
        );
      }),
    );
    const confirmed = runs.filter((b) => b.status === 'CONFIRMED');
    expect(confirmed).toHaveLength(3);
    expect(confirmed.every((b) => b.payment?.status === 'SUCCEEDED')).toBe(true);
    const declined = runs.filter((b) => b.status === 'HELD');
    expect(declined).toHaveLength(3);
    expect(declined.every((b) => b.payment?.status === 'FAILED')).toBe(true);
  });
});
