import type { EventEnvelope, Message } from '@airline/shared';
import { useBookingStack } from '../testkit/stack.ts';
import {
  CARDS,
  createBooking,
  eventually,
  freshFlight,
  heldAfterFailure,
  newCustomer,
  payBooking,
  readBooking,
  tapMessages,
  waitForBooking,
  waitForStatus,
} from '../testkit/flows.ts';

const suite = useBookingStack('money');
let tap: Awaited<ReturnType<typeof tapMessages>>;
beforeAll(async () => {
  tap = await tapMessages(suite.stack.config, [{ exchange: 'booking.events', routingKey: '#' }]);
}, 60_000);
afterAll(() => tap?.close());

/** The charge the provider simulator itself recorded for a payment (its reference). */
async function providerCharge(paymentId: string) {
  const res = await fetch(
    `${suite.stack.config.paymentProviderUrl}/v1/charges?reference=${encodeURIComponent(paymentId)}`,
  );
  const { data } = (await res.json()) as {
    data: { status: string; amount: number; currency: string; amountRefunded: number }[];
  };
  const charged = data.filter((c) => c.status === 'succeeded');
  expect(charged).toHaveLength(1);
  return charged[0]!;
}

const published = <T extends Message['type']>(type: T, bookingId: string) =>
  tap.messages.filter(
    (m): m is Extract<Message, { type: T }> => m.type === type && m.aggregateId === bookingId,
  );

async function awaitPublished<T extends Message['type']>(
  type: T,
  bookingId: string,
  count = 1,
): Promise<Extract<Message, { type: T }>[]> {
  const found = await eventually(
    () => Promise.resolve(published(type, bookingId)),
    (list) => list.length >= count,
  );
  expect(found.length).toBeGreaterThanOrEqual(count);
  return found;
}

const statusTrail = (events: EventEnvelope<'BookingStatusChanged'>[]) =>
  events
    .map((e) => e.payload)
    .sort((a, b) => a.version - b.version)
    .map((p) => `${p.version}:${p.previousStatus ?? '-'}>${p.status}`);

test('cancelling a paid booking reports as its refund what the provider charged, and the provider gives that back', async () => {
  const flightId = await freshFlight(suite.gw, suite.agent);
  const me = await newCustomer(suite.gw);
  const id = (await createBooking(suite.gw, me.token, flightId, ['16A', '16B'])).data!.createBooking
    .id;
  await payBooking(suite.gw, me.token, id, CARDS.approved);
  const confirmed = await waitForStatus(suite.gw, me.token, id, ['CONFIRMED']);
  const charge = await providerCharge(confirmed.payment!.id);

  await suite.gw.data(
    'mutation($id: ID!) { cancelBooking(id: $id) { status } }',
    { id },
    { token: me.token },
  );
  const [cancelled] = await awaitPublished('BookingCancelled', id);
  expect(cancelled!.payload.refund).toEqual({
    amountMinor: charge.amount,
    currency: charge.currency,
  });
  await eventually(
    () => readBooking(suite.gw, me.token, id),
    (b) => b.payment?.status === 'REFUNDED',
  );
  expect((await providerCharge(confirmed.payment!.id)).amountRefunded).toBe(charge.amount);
});

describe('BookingStatusChanged on booking.events for every status change, versioned per booking', () => {
  test('held, paid, confirmed, cancelled', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const me = await newCustomer(suite.gw);
    const id = (await createBooking(suite.gw, me.token, flightId, ['17A'])).data!.createBooking.id;
    await payBooking(suite.gw, me.token, id, CARDS.approved);
    await waitForStatus(suite.gw, me.token, id, ['CONFIRMED']);
    await suite.gw.data(
      'mutation($id: ID!) { cancelBooking(id: $id) { status } }',
      { id },
      { token: me.token },
    );
    const events = await awaitPublished('BookingStatusChanged', id, 4);
    expect(statusTrail(events)).toEqual([
      '1:->HELD',
      '2:HELD>PAYMENT_PENDING',
      '3:PAYMENT_PENDING>CONFIRMED',
      '4:CONFIRMED>CANCELLED',
    ]);
    expect(
      events.every((e) => e.payload.customerId === me.id && e.payload.flightId === flightId),
    ).toBe(true);
  });

  test('a declined card (back to HELD), and a held booking whose flight is cancelled', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const me = await newCustomer(suite.gw);
    const declined = (await createBooking(suite.gw, me.token, flightId, ['18A'])).data!
      .createBooking.id;
    await payBooking(suite.gw, me.token, declined, CARDS.declined);
    await waitForBooking(suite.gw, me.token, declined, heldAfterFailure, 'HELD after the decline');
    const held = (await createBooking(suite.gw, me.token, flightId, ['18B'])).data!.createBooking
      .id;
    await suite.gw.data(
      'mutation($id: ID!) { cancelFlight(id: $id, reason: "weather") { status } }',
      { id: flightId },
      { token: suite.agent },
    );
    expect(statusTrail(await awaitPublished('BookingStatusChanged', declined, 4))).toEqual([
      '1:->HELD',
      '2:HELD>PAYMENT_PENDING',
      '3:PAYMENT_PENDING>HELD',
      '4:HELD>CANCELLED',
    ]);
    expect(statusTrail(await awaitPublished('BookingStatusChanged', held, 2))).toEqual([
      '1:->HELD',
      '2:HELD>CANCELLED',
    ]);
  });
});
