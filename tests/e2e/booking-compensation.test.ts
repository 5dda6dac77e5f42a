import { createRedis, seatHoldKey } from '@airline/shared';
import { errorCodes } from '@airline/shared/testing';
import { useBookingStack } from '../testkit/stack.ts';
import {
  CARDS,
  createBooking,
  eventually,
  freshFlight,
  newCustomer,
  heldAfterFailure,
  payBooking,
  providerStats,
  readBooking,
  seatStatuses,
  waitForBooking,
  waitForStatus,
} from '../testkit/flows.ts';

// Its own stack: the 0259 card opens the provider's circuit breaker for this stack's payments.
const suite = useBookingStack('compensation');

test('a seat lock lost mid-payment: the database keeps one booking per seat, the loser is refunded and cancelled', async () => {
  const { gw, agent, stack } = suite;
  const flightId = await freshFlight(gw, agent);
  const slow = await newCustomer(gw);
  const fast = await newCustomer(gw);
  const slowId = (await createBooking(gw, slow.token, flightId, ['30A'])).data!.createBooking.id;
  // Its payment takes two provider timeouts; meanwhile its Redis lock vanishes (as an expired
  // lock would) and someone else takes and pays for the seat.
  await payBooking(gw, slow.token, slowId, CARDS.slowThenApproved);
  const redis = createRedis(stack.config, 'test');
  await redis.del(seatHoldKey(flightId, '30A'));
  redis.disconnect();
  const fastId = (await createBooking(gw, fast.token, flightId, ['30A'])).data!.createBooking.id;
  await payBooking(gw, fast.token, fastId, CARDS.approved);

  // Both were paid for the same seat; the inventory's key lets exactly one of them have it.
  const ends = ['CONFIRMED', 'CANCELLED', 'PAYMENT_FAILED'];
  const results = [
    { who: slow, id: slowId, end: await waitForStatus(gw, slow.token, slowId, ends, 30_000) },
    { who: fast, id: fastId, end: await waitForStatus(gw, fast.token, fastId, ends, 30_000) },
  ];
  expect(results.map((r) => r.end.status).sort()).toEqual(['CANCELLED', 'CONFIRMED']);
  const loser = results.find((r) => r.end.status === 'CANCELLED')!;
  expect(loser.end.statusReason).toMatch(/seat confirmation failed/);
  const refunded = await eventually(
    () => readBooking(gw, loser.who.token, loser.id),
    (b) => b.payment?.status === 'REFUNDED',
  );
  expect(refunded.payment?.status).toBe('REFUNDED');
  expect(await seatStatuses(gw, flightId, ['30A'])).toEqual({ '30A': 'BOOKED' });
}, 60_000);

test('a provider that is always down: retries give up (HELD again, PAYMENT_UNAVAILABLE shown), then the breaker opens and payBooking is refused with PAYMENT_UNAVAILABLE without asking the provider, the booking still payable', async () => {
  const { gw, agent, stack } = suite;
  const flightId = await freshFlight(gw, agent);
  const me = await newCustomer(gw);
  // Two bookings with the failing card exhaust their retries and open the breaker.
  const attempts: number[] = [];
  for (const seat of ['29A', '29B']) {
    const id = (await createBooking(gw, me.token, flightId, [seat])).data!.createBooking.id;
    await payBooking(gw, me.token, id, CARDS.alwaysDown);
    const failed = await waitForBooking(gw, me.token, id, heldAfterFailure, 'HELD again', 30_000);
    expect(failed.paymentError?.code).toBe('PAYMENT_UNAVAILABLE');
    expect(failed.payment?.status).toBe('FAILED');
    attempts.push(failed.payment!.attempts);
  }
  // The first was retried with backoff; the breaker may cut the second one short.
  expect(attempts[0]).toBeGreaterThan(1);
  const held = (await createBooking(gw, me.token, flightId, ['29C'])).data!.createBooking.id;
  const before = await providerStats(stack.config);
  const refused = await payBooking(gw, me.token, held, CARDS.approved);
  expect(errorCodes(refused)).toEqual(['PAYMENT_UNAVAILABLE']);
  // Refused by the open breaker: the provider never saw a request for it.
  expect((await providerStats(stack.config)).charges.requests).toBe(before.charges.requests);
  const after = await readBooking(gw, me.token, held);
  expect(after.status).toBe('HELD');
  expect(after.payment).toBeNull();
  expect(await seatStatuses(gw, flightId, ['29C'])).toEqual({ '29C': 'HELD' });
}, 90_000);
