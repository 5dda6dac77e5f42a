// The bulkhead between search and the booking path: search runs on its own connection pool
// behind a concurrency limit, so a search stampede (here: every search stuck on a locked read
// model, the worst case) turns searches away quickly and never slows seat operations down.
import { randomUUID } from 'node:crypto';
import { errorCodes, gatewayHeaders, type GraphQLResponse } from '@airline/shared/testing';
import { addDays } from '../domain/zoned-time.ts';
import {
  scheduleTestFlight,
  sendCommand,
  startFlightsHarness,
  type FlightsHarness,
} from '../testing/flights-harness.ts';

let h: FlightsHarness;
let flightId: string;

beforeAll(async () => {
  h = await startFlightsHarness('bulkhead', {
    seedDays: 1,
    searchCacheTtlSeconds: 0,
    searchLimits: { concurrent: 2, queued: 3 },
    pools: { write: 4, read: 3 },
  });
  flightId = await scheduleTestFlight(h, { number: 'AS6001', daysAhead: 4 });
});
afterAll(() => h?.stop());

const SEARCH = `query($input: FlightSearchInput!) { searchFlights(input: $input) { id } }`;
const today = new Date().toISOString().slice(0, 10);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

async function quote(seats: string[]) {
  const res = await fetch(`${h.server.url}/internal/seat-quotes`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await h.bookingsCredential()}`,
    },
    body: JSON.stringify({ flightId, seats }),
  });
  return res.status;
}

test('while search is saturated, seat quotes and confirmations keep their latency and excess searches are RATE_LIMITED', async () => {
  const baseline = await timed(() => quote(['12A']));
  expect(baseline.value).toBe(200);

  // Freeze the read model: every search that reaches PostgreSQL now waits, holding a slot.
  const blocker = await h.sql.connect();
  await blocker.query('BEGIN');
  await blocker.query('LOCK TABLE search_flight IN ACCESS EXCLUSIVE MODE');
  try {
    // 12 different search days at once (identical ones would share one computation): 2 run
    // (and stay stuck), 3 wait for a slot, the other 7 are turned away at once.
    const answered: GraphQLResponse[] = [];
    const searches = Array.from({ length: 12 }, (_, i) =>
      h.graphql
        .request(SEARCH, {
          input: { origin: 'LHR', destination: 'CDG', date: addDays(today, 1 + i) },
        })
        .then((res) => (answered.push(res), res)),
    );
    const deadline = Date.now() + 5_000;
    while (answered.length < 7 && Date.now() < deadline) await sleep(10);
    await sleep(100);
    expect(answered).toHaveLength(7);
    for (const res of answered) {
      expect(errorCodes(res)).toEqual(['RATE_LIMITED']);
      expect(res.errors?.[0]?.extensions?.retryAfterSeconds).toBe(1);
    }

    // The booking path does not notice: quotes and a confirmation answer promptly.
    const during = await timed(() => quote(['12A', '12B']));
    expect(during.value).toBe(200);
    expect(during.ms).toBeLessThan(Math.max(500, baseline.ms * 10));
    const bookingId = randomUUID();
    const confirmation = await timed(async () => {
      await sendCommand(h.amqp, 'ConfirmSeats', { bookingId, flightId, seats: ['12C'] });
      return h.events.waitFor('SeatsConfirmed', (p) => p.bookingId === bookingId, 3_000);
    });
    expect(confirmation.value.seats).toEqual(['12C']);
    expect(confirmation.ms).toBeLessThan(3_000);

    await blocker.query('COMMIT');
    // Once the read side is free again, the searches that were let in complete normally.
    const results = await Promise.all(searches);
    expect(results.filter((res) => !res.errors)).toHaveLength(5);
  } finally {
    await blocker.query('ROLLBACK').catch(() => undefined);
    blocker.release();
  }
});

test('a search abandoned while it waits for a slot gives the slot back', async () => {
  const blocker = await h.sql.connect();
  await blocker.query('BEGIN');
  await blocker.query('LOCK TABLE search_flight IN ACCESS EXCLUSIVE MODE');
  const body = (i: number) =>
    JSON.stringify({
      query: SEARCH,
      variables: { input: { origin: 'LHR', destination: 'CDG', date: addDays(today, 20 + i) } },
    });
  const asGateway = await gatewayHeaders(h.config, 'flights')();
  const post = (i: number, signal?: AbortSignal) =>
    fetch(`${h.server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...asGateway },
      body: body(i),
      signal,
    });
  let running: Promise<Response>[] = [];
  try {
    running = [post(0), post(1)];
    await sleep(100);
    const abandon = new AbortController();
    const waiting = [2, 3, 4].map((i) => post(i, abandon.signal).catch(() => null));
    await sleep(100);
    abandon.abort();
    await Promise.all(waiting);
  } finally {
    await blocker.query('COMMIT');
    blocker.release();
  }
  await Promise.all(running);
  // Every slot is free again: five new searches are all answered (2 at once, 3 waiting).
  const again = await Promise.all(
    [5, 6, 7, 8, 9].map(async (i) => (await (await post(i)).json()) as GraphQLResponse),
  );
  expect(again.map((res) => res.errors)).toEqual([
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
});
