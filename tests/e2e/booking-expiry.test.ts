import type { EventEnvelope } from '@airline/shared';
import { errorCodes } from '@airline/shared/testing';
import { useBookingStack } from '../testkit/stack.ts';
import {
  CARDS,
  createBooking,
  eventually,
  freshFlight,
  newCustomer,
  payBooking,
  providerCharges,
  seatStatuses,
  tapMessages,
  waitForStatus,
} from '../testkit/flows.ts';

const suite = useBookingStack('expiry', { SEAT_HOLD_TTL_SECONDS: '5' });
let tap: Awaited<ReturnType<typeof tapMessages>>;
beforeAll(async () => {
  tap = await tapMessages(suite.stack.config, [{ exchange: 'booking.events', routingKey: '#' }]);
}, 60_000);
afterAll(() => tap?.close());

test('an unpaid hold expires: the booking is EXPIRED, its seats are free, and paying it is HOLD_EXPIRED', async () => {
  const flightId = await freshFlight(suite.gw, suite.agent);
  const me = await newCustomer(suite.gw);
  const id = (await createBooking(suite.gw, me.token, flightId, ['6A', '6B'])).data!.createBooking
    .id;
  expect(await seatStatuses(suite.gw, flightId, ['6A', '6B'])).toEqual({
    '6A': 'HELD',
    '6B': 'HELD',
  });
  const expired = await waitForStatus(suite.gw, me.token, id, ['EXPIRED'], 15_000);
  expect(expired.holdExpiresAt).toBeNull();
  expect(await seatStatuses(suite.gw, flightId, ['6A', '6B'])).toEqual({
    '6A': 'AVAILABLE',
    '6B': 'AVAILABLE',
  });
  expect(errorCodes(await payBooking(suite.gw, me.token, id, CARDS.approved))).toEqual([
    'HOLD_EXPIRED',
  ]);
  const other = await newCustomer(suite.gw);
  expect(
    (await createBooking(suite.gw, other.token, flightId, ['6A'])).data?.createBooking.status,
  ).toBe('HELD');
}, 30_000);

test('a payment still pending when the hold lapses: the booking is not expired under it, the payment confirms it, and it is charged once', async () => {
  const flightId = await freshFlight(suite.gw, suite.agent);
  const me = await newCustomer(suite.gw);
  const booking = (await createBooking(suite.gw, me.token, flightId, ['9C'])).data!.createBooking;
  const holdEnds = Date.parse(booking.holdExpiresAt!);
  // The card's charge takes two provider timeouts, so its result comes after bookings stopped;
  // bookings stays down until the hold has lapsed, and the result waits in its queue.
  expect(
    (await payBooking(suite.gw, me.token, booking.id, CARDS.slowThenApproved)).data?.payBooking
      .status,
  ).toBe('PAYMENT_PENDING');
  await suite.stack.restart('bookings', async () => {
    await waitUntil(holdEnds + 1_000);
    // Down, paying, past its hold: the seat is still held for the payment.
    expect(await seatStatuses(suite.gw, flightId, ['9C'])).toEqual({ '9C': 'HELD' });
  });

  const done = await waitForStatus(
    suite.gw,
    me.token,
    booking.id,
    ['CONFIRMED', 'EXPIRED'],
    30_000,
  );
  expect(done.status).toBe('CONFIRMED');
  const changes = await statusChanges(booking.id, 3);
  expect(changes.map((c) => c.status)).toEqual(['HELD', 'PAYMENT_PENDING', 'CONFIRMED']);
  // Confirmed after the hold had lapsed, with no expiry in between.
  expect(Date.parse(changes[2]!.occurredAt)).toBeGreaterThan(holdEnds);
  expect(await seatStatuses(suite.gw, flightId, ['9C'])).toEqual({ '9C': 'BOOKED' });
  const charges = await providerCharges(suite.stack.config, done.payment!.id);
  expect(charges.filter((c) => c.status === 'succeeded')).toHaveLength(1);
}, 60_000);

/** Waits until the wall clock passes an instant (a hold's end), not for something to happen. */
async function waitUntil(instant: number): Promise<void> {
  const ms = instant - Date.now();
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}

/** The booking's BookingStatusChanged payloads in version order, once `count` are in. */
async function statusChanges(bookingId: string, count: number) {
  const events = await eventually(
    async () =>
      tap.messages.filter(
        (m): m is EventEnvelope<'BookingStatusChanged'> =>
          m.type === 'BookingStatusChanged' && m.aggregateId === bookingId,
      ),
    (list) => list.length >= count,
  );
  return events.map((e) => e.payload).sort((a, b) => a.version - b.version);
}
