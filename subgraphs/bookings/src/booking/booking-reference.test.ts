// Record locators are random: a new booking may draw one already issued. The customer must not
// see it: the booking is stored again with another locator.
import { randomUUID } from 'node:crypto';
import {
  codes,
  createInput,
  ops,
  startBookingsHarness,
  type BookingsHarness,
} from '../testing/bookings-harness.ts';

let h: BookingsHarness;
// Every booking draws its locators from this queue, in order.
const draws: string[] = [];
const ISSUED = 'KQ7XW2';

beforeAll(async () => {
  h = await startBookingsHarness('references', {}, { newReference: () => draws.shift()! });
  draws.push(ISSUED);
  const first = await create(randomUUID(), '1A');
  expect(first.errors).toBeUndefined();
}, 30_000);
afterAll(() => h?.stop());

async function create(flightId: string, seat: string) {
  const me = await h.user();
  return h.graphql.request<{ createBooking: { id: string; status: string } | null }>(
    ops.create,
    createInput(flightId, [seat]),
    { token: me.token },
  );
}

test('a locator already issued is drawn again, and the booking is held under a fresh one', async () => {
  draws.push(ISSUED, ISSUED, 'KQ7XW3');
  const res = await create(randomUUID(), '1B');
  expect(res.errors).toBeUndefined();
  const id = res.data!.createBooking!.id;
  expect(res.data!.createBooking!.status).toBe('HELD');
  expect((await h.booking(id)).reference).toBe('KQ7XW3');
  expect(draws).toEqual([]);
  // The refused attempts left nothing behind: one BookingCreated and one status change.
  expect(await h.outboxCount(id)).toBe(2);
});

test('after five collisions in a row the request fails, stores nothing and releases its seat', async () => {
  const flightId = randomUUID();
  const before = await h.sql<{ n: string }>('SELECT count(*) AS n FROM booking');
  draws.push(ISSUED, ISSUED, ISSUED, ISSUED, ISSUED);
  const res = await create(flightId, '2A');
  expect(codes(res)).toEqual(['INTERNAL_SERVER_ERROR']);
  expect(draws).toEqual([]);
  expect(await h.sql<{ n: string }>('SELECT count(*) AS n FROM booking')).toEqual(before);
  expect((await h.heldSeats(flightId, ['2A'])).size).toBe(0);

  draws.push('KQ7XW4');
  const retry = await create(flightId, '2A');
  expect(retry.errors).toBeUndefined();
  expect((await h.booking(retry.data!.createBooking!.id)).reference).toBe('KQ7XW4');
});
