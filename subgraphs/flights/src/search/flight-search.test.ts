// Flight search against the real read model, Redis holds and cache.
import { randomUUID } from 'node:crypto';
import { errorCodes } from '@airline/shared/testing';
import { addDays, localDateInZone, localDateTimeToInstant } from '../domain/zoned-time.ts';
import {
  publishBookingEvent,
  sendCommand,
  startFlightsHarness,
  type FlightsHarness,
} from '../testing/flights-harness.ts';

let h: FlightsHarness;
// Auckland is ahead of UTC: a flight at 00:30 there leaves "yesterday" in UTC terms.
const ZONE = 'Pacific/Auckland';
const day = addDays(localDateInZone(new Date(), ZONE), 10);

const SEARCH = `query($input: FlightSearchInput!) {
  searchFlights(input: $input) { id number departureTime arrivalTime availableSeats(cabin: BUSINESS) }
}`;
const SCHEDULE = `mutation($input: ScheduleFlightInput!) { scheduleFlight(input: $input) { id } }`;

async function schedule(number: string, localTime: string, date = day): Promise<string> {
  const { scheduleFlight } = await h.graphql.data<{ scheduleFlight: { id: string } }>(
    SCHEDULE,
    {
      input: {
        number,
        origin: 'AKL',
        destination: 'SYD',
        aircraft: 'A320',
        departureTime: localDateTimeToInstant(date, localTime, ZONE).toISOString(),
      },
    },
    { token: h.agentToken },
  );
  return scheduleFlight.id;
}

type Found = { id: string; number: string; departureTime: string; availableSeats: number };
async function search(input: Record<string, unknown>): Promise<Found[]> {
  const { searchFlights } = await h.graphql.data<{ searchFlights: Found[] }>(SEARCH, {
    input: { origin: 'AKL', destination: 'SYD', date: day, ...input },
  });
  return searchFlights;
}
async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('search did not catch up in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

let early: string;
let late: string;
beforeAll(async () => {
  h = await startFlightsHarness('search');
  // Scheduled out of order; one the evening before and one the day after must never show.
  late = await schedule('AS8003', '18:45');
  early = await schedule('AS8001', '00:30');
  await schedule('AS8005', '23:50', addDays(day, -1));
  await schedule('AS8007', '00:10', addDays(day, 1));
});
afterAll(() => h?.stop());

describe('searchFlights', () => {
  test("finds the day's flights by the origin's local date, earliest first, with local offsets", async () => {
    const found = await search({});
    expect(found.map((f) => f.number)).toEqual(['AS8001', 'AS8003']);
    expect(found[0]!.departureTime).toBe(`${day}T00:30:00${found[0]!.departureTime.slice(-6)}`);
    expect(found[0]!.departureTime).toMatch(/\+1[23]:00$/);
    expect(found.map((f) => f.id)).toEqual([early, late]);
  });

  test('matches airport codes in any case and returns nothing for a cabin the aircraft lacks', async () => {
    expect(await search({ origin: 'akl', destination: ' syd ' })).toHaveLength(2);
    expect(await search({ cabin: 'FIRST' })).toEqual([]);
    expect(await search({ cabin: 'BUSINESS', passengers: 9 })).toHaveLength(2);
  });

  test('a sold-out cabin stops the flight appearing for it, cached or not; held seats count as taken', async () => {
    // Warm the cache first: the change below must invalidate it.
    expect((await search({ cabin: 'BUSINESS' })).map((f) => f.number)).toEqual([
      'AS8001',
      'AS8003',
    ]);
    const business = ['1A', '1C', '1D', '1F', '2A', '2C', '2D', '2F', '3A', '3C', '3D', '3F'];
    const bookingId = randomUUID();
    await sendCommand(h.amqp, 'ConfirmSeats', {
      bookingId,
      flightId: early,
      seats: business.slice(0, 10),
    });
    await h.events.waitFor('SeatsConfirmed', (p) => p.bookingId === bookingId);
    await eventually(async () => (await search({ cabin: 'BUSINESS', passengers: 3 })).length === 1);
    expect((await search({ cabin: 'BUSINESS', passengers: 2 })).map((f) => f.number)).toEqual([
      'AS8001',
      'AS8003',
    ]);

    // The last two business seats are held by a booking in progress (bookings holds them in
    // Redis and announces BookingCreated).
    const holder = randomUUID();
    await h.holds.hold(early, business.slice(10), holder, 60_000);
    await publishBookingEvent(h.amqp, 'BookingCreated', {
      bookingId: holder,
      reference: 'HOLD01',
      customerId: randomUUID(),
      flightId: early,
      seats: business.slice(10),
      passengers: [],
      total: { amountMinor: 100, currency: 'USD' },
      holdExpiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    await eventually(async () => (await search({ cabin: 'BUSINESS' })).length === 1);
    const [remaining] = await search({ cabin: 'BUSINESS' });
    expect(remaining!.number).toBe('AS8003');
    // Economy on the sold-out business flight is still on sale.
    expect((await search({ cabin: 'ECONOMY' })).map((f) => f.number)).toEqual(['AS8001', 'AS8003']);
    expect((await search({})).find((f) => f.number === 'AS8001')!.availableSeats).toBe(0);

    // The hold expires (BookingExpired): the flight is back.
    await h.holds.release(early, business.slice(10), holder);
    await publishBookingEvent(h.amqp, 'BookingExpired', {
      bookingId: holder,
      reference: 'HOLD01',
      customerId: randomUUID(),
      flightId: early,
      seats: business.slice(10),
      holdExpiredAt: new Date().toISOString(),
    });
    await eventually(async () => (await search({ cabin: 'BUSINESS' })).length === 2);
  });

  test('a cancelled flight disappears from search', async () => {
    const id = await schedule('AS8009', '12:00');
    await eventually(async () => (await search({})).some((f) => f.id === id));
    await h.graphql.data(
      'mutation($id: ID!) { cancelFlight(id: $id, reason: "Weather") { id } }',
      { id },
      { token: h.agentToken },
    );
    await eventually(async () => !(await search({})).some((f) => f.id === id));
  });

  test.each([
    ['an unknown airport', { origin: 'XXX' }, /origin: no airport with code XXX/],
    [
      'an over-long airport',
      { destination: 'SYDNEY-KINGSFORD' },
      /destination: must be a 3-letter/,
    ],
    ['origin = destination', { destination: 'AKL' }, /destination: must differ from origin/],
    ['a date not YYYY-MM-DD', { date: '12/01/2026' }, /YYYY-MM-DD/],
    ['a date that does not exist', { date: '2026-02-30' }, /YYYY-MM-DD/],
    ['a date in the past', { date: '2020-01-01' }, /date: 2020-01-01 is in the past at AKL/],
    ['0 passengers', { passengers: 0 }, /passengers: must be at least 1/],
    ['10 passengers', { passengers: 10 }, /passengers: must be at most 9/],
  ])('%s is BAD_USER_INPUT with a clear message', async (_label, override, message) => {
    const res = await h.graphql.request(SEARCH, {
      input: { origin: 'AKL', destination: 'SYD', date: day, ...override },
    });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.message).toMatch(message);
  });
});
