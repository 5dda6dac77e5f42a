import { errorCodes } from '@airline/shared/testing';
import { useBookingStack } from '../testkit/stack.ts';
import {
  BOOKING_FIELDS,
  CARDS,
  freshFlight,
  newCustomer,
  passenger,
  payBooking,
  seatStatuses,
  waitForStatus,
  type BookingView,
} from '../testkit/flows.ts';

// Small limits, and the gateway trusting one proxy hop, so each test speaks from an address of
// its own (X-Forwarded-For) and never spends another test's per-address budget.
const PER_ADDRESS = 10;
const PER_CUSTOMER = 8;
const suite = useBookingStack('limits', {
  TRUST_PROXY: '1',
  RATE_LIMIT_BOOKINGS_PER_IP_PER_MINUTE: String(PER_ADDRESS),
  RATE_LIMIT_BOOKINGS_PER_CUSTOMER_PER_MINUTE: String(PER_CUSTOMER),
  MAX_LIVE_HOLDS_PER_CUSTOMER: '4',
  MAX_SEATS_PER_BOOKING: '9',
});

let address = 0;
/** A client address of its own for one test. */
const newAddress = () => `203.0.113.${++address}`;

/** createBooking from a client address; the raw response (errors included). */
function createFrom(from: string, token: string, flightId: string, seats: string[]) {
  return suite.gw.request<{ createBooking: BookingView }>(
    `mutation($i: CreateBookingInput!) { createBooking(input: $i) { ${BOOKING_FIELDS} } }`,
    { i: { flightId, passengers: seats.map((s, i) => passenger(s, `P${i}`)) } },
    { token, headers: { 'x-forwarded-for': from } },
  );
}

const allAvailable = (seats: string[]) =>
  Object.fromEntries(seats.map((s) => [s, 'AVAILABLE'] as const));

describe('live holds per customer', () => {
  test('a fifth hold is RATE_LIMITED until the oldest hold expires and holds nothing; a confirmed booking frees its place', async () => {
    const from = newAddress();
    const flightId = await freshFlight(suite.gw, suite.agent);
    const me = await newCustomer(suite.gw);
    const ids: string[] = [];
    for (const seat of ['14A', '14B', '14C', '14D']) {
      const held = await createFrom(from, me.token, flightId, [seat]);
      expect(held.data?.createBooking.status).toBe('HELD');
      ids.push(held.data!.createBooking.id);
    }

    const refused = await createFrom(from, me.token, flightId, ['14E']);
    expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
    const error = refused.errors![0]!;
    expect(error.message).toMatch(/4 bookings holding seats/);
    const retryAfter = error.extensions?.retryAfterSeconds as number;
    // Until the first hold (10 minutes long, taken seconds ago) expires.
    expect(retryAfter).toBeGreaterThan(540);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(await seatStatuses(suite.gw, flightId, ['14E'])).toEqual({ '14E': 'AVAILABLE' });

    // A paid, confirmed booking holds no seat any more: the customer may hold another.
    await payBooking(suite.gw, me.token, ids[0]!, CARDS.approved);
    await waitForStatus(suite.gw, me.token, ids[0]!, ['CONFIRMED']);
    expect((await createFrom(from, me.token, flightId, ['14E'])).data?.createBooking.status).toBe(
      'HELD',
    );
  });

  test('six concurrent holds of one customer: exactly four are taken, nothing else is held', async () => {
    const from = newAddress();
    const flightId = await freshFlight(suite.gw, suite.agent);
    const me = await newCustomer(suite.gw);
    const seats = ['15A', '15B', '15C', '15D', '15E', '15F'];
    const results = await Promise.all(
      seats.map((seat) => createFrom(from, me.token, flightId, [seat])),
    );
    const outcomes = results.map((r) => r.data?.createBooking.status ?? errorCodes(r)[0]);
    expect(outcomes.filter((o) => o === 'HELD')).toHaveLength(4);
    expect(outcomes.filter((o) => o === 'RATE_LIMITED')).toHaveLength(2);
    const statuses = Object.values(await seatStatuses(suite.gw, flightId, seats));
    expect(statuses.filter((s) => s === 'HELD')).toHaveLength(4);
    expect(statuses.filter((s) => s === 'AVAILABLE')).toHaveLength(2);
  });
});

test('more passengers than a booking may have is BAD_USER_INPUT naming the limit, and holds nothing', async () => {
  const from = newAddress();
  const flightId = await freshFlight(suite.gw, suite.agent);
  const me = await newCustomer(suite.gw);
  // Rows of an A320 (there is no row 13).
  const seats = [10, 11, 12, 14, 15, 16, 17, 18, 19, 20].map((row) => `${row}C`);
  const refused = await createFrom(from, me.token, flightId, seats);
  expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
  expect(refused.errors![0]!.message).toMatch(/at most 9 passengers per booking/);
  expect(await seatStatuses(suite.gw, flightId, seats)).toEqual(allAvailable(seats));
  expect(
    (await createFrom(from, me.token, flightId, seats.slice(0, 9))).data?.createBooking.status,
  ).toBe('HELD');
});

describe('createBooking is throttled', () => {
  test('per customer: past the limit RATE_LIMITED with retryAfterSeconds, and nothing held', async () => {
    const from = newAddress();
    const flightId = await freshFlight(suite.gw, suite.agent);
    const me = await newCustomer(suite.gw);
    // Every attempt counts, refused ones too.
    for (let i = 0; i < PER_CUSTOMER; i++)
      expect(errorCodes(await createFrom(from, me.token, flightId, ['99Z']))).toEqual([
        'BAD_USER_INPUT',
      ]);
    const refused = await createFrom(newAddress(), me.token, flightId, ['30A']);
    expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
    expect(refused.errors![0]!.message).toMatch(/Too many bookings from your account/);
    const retryAfter = refused.errors![0]!.extensions?.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await seatStatuses(suite.gw, flightId, ['30A'])).toEqual({ '30A': 'AVAILABLE' });
  });

  test('per client address, across customers', async () => {
    const from = newAddress();
    const flightId = await freshFlight(suite.gw, suite.agent);
    for (let i = 0; i < PER_ADDRESS; i++) {
      const someone = await newCustomer(suite.gw);
      expect(errorCodes(await createFrom(from, someone.token, flightId, ['99Z']))).toEqual([
        'BAD_USER_INPUT',
      ]);
    }
    const fresh = await newCustomer(suite.gw);
    const refused = await createFrom(from, fresh.token, flightId, ['28A']);
    expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
    expect(refused.errors![0]!.message).toMatch(/Too many bookings from your network/);
    expect(await seatStatuses(suite.gw, flightId, ['28A'])).toEqual({ '28A': 'AVAILABLE' });
    // Another address is not affected.
    expect(
      (await createFrom(newAddress(), fresh.token, flightId, ['28A'])).data?.createBooking.status,
    ).toBe('HELD');
  });
});
