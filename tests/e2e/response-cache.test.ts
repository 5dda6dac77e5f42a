// The gateway's response cache through the real stack: public reference data is answered from
// Redis for as long as the subgraphs' cache hints allow; seat maps, seat counts, anything
// personal and mutations never are.
import pg from 'pg';
import { Redis, databaseName } from '@airline/shared';
import { gatewayHeaders, waitFor } from '@airline/shared/testing';
import { RESPONSE_CACHE_KEY_PREFIX } from '../../gateway/src/response-cache.ts';
import { createBooking, freshFlight, newCustomer } from '../testkit/flows.ts';
import { useBookingStack } from '../testkit/stack.ts';

const suite = useBookingStack('respcache');
let raw: Redis;
beforeAll(() => {
  raw = new Redis(suite.stack.config.redisUrl);
});
afterAll(() => raw?.disconnect());

/** The stack's cached responses in Redis (the plugin names them `fqc:<hash>`). */
const cachedKeys = () =>
  raw.keys(`${suite.stack.config.redisPrefix}${RESPONSE_CACHE_KEY_PREFIX}fqc:*`);

interface Answer<T> {
  data: T;
  errors?: unknown[];
  cacheControl: string | null;
  /** Set on a response served from the cache: seconds since it was stored. */
  age: string | null;
}

/** One POST to the gateway, as a client sends it, with the caching headers of the answer. */
async function post<T>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<Answer<T>> {
  const res = await fetch(suite.gw.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: T; errors?: unknown[] };
  return {
    ...body,
    cacheControl: res.headers.get('cache-control'),
    age: res.headers.get('age'),
  };
}

/** Local departure date of a flight at its origin (what search takes). */
async function searchInputOf(flightId: string) {
  const { data } = await post<{ flight: { departureTime: string } }>(
    'query($id: ID!) { flight(id: $id) { departureTime } }',
    { id: flightId },
  );
  return { origin: 'JFK', destination: 'BOS', date: data.flight.departureTime.slice(0, 10) };
}

describe('gateway response cache', () => {
  test('an airport is answered from Redis until its TTL: a change in the flights database is not seen', async () => {
    const AIRPORT = 'query Airport($code: String!) { airport(code: $code) { code name city } }';
    const before = await cachedKeys();
    const first = await post<{ airport: { name: string } }>(AIRPORT, { code: 'LHR' });
    expect(first.errors).toBeUndefined();
    expect(first.cacheControl).toBe('max-age=21600, public');
    expect(first.age).toBeNull();
    const original = first.data.airport.name;
    // The response is stored in the background, under the stack's prefix and with the hint's TTL.
    const stored = await waitFor('the response stored', async () => {
      const added = (await cachedKeys()).filter((k) => !before.includes(k));
      return added.length ? added : null;
    });
    expect(stored).toHaveLength(1);
    const ttl = await raw.pttl(stored[0]!);
    expect(ttl).toBeGreaterThan(21_000_000);
    expect(ttl).toBeLessThanOrEqual(21_600_000);
    expect(await raw.keys('fqc:*')).toEqual([]);
    expect(await raw.keys(`${RESPONSE_CACHE_KEY_PREFIX}*`)).toEqual([]);

    const { config } = suite.stack;
    const flightsDb = new pg.Client({
      connectionString: `${config.postgresUrl}/${databaseName(config, 'flights')}`,
    });
    await flightsDb.connect();
    try {
      await flightsDb.query('UPDATE airport SET name = $1 WHERE code = $2', [
        'Renamed behind the cache',
        'LHR',
      ]);
      // Anyone asking the same thing, customer or anonymous, gets the stored answer.
      const { token } = await newCustomer(suite.gw);
      const again = await post<{ airport: { name: string } }>(AIRPORT, { code: 'LHR' }, token);
      expect(again.data.airport.name).toBe(original);
      expect(again.age).toMatch(/^\d+$/);
      expect(again.cacheControl).toBe('max-age=21600, public');
      // A different question reaches the subgraph, which reads the database.
      const other = await post<{ airport: { name: string } }>('{ airport(code: "LHR") { name } }');
      expect(other.data.airport.name).toBe('Renamed behind the cache');
      expect(other.age).toBeNull();
    } finally {
      await flightsDb.query('UPDATE airport SET name = $1 WHERE code = $2', [original, 'LHR']);
      await flightsDb.end();
    }
  });

  test("the flights subgraph's entity answers carry their type's hint: an airport for 6 hours, a flight never on its own", async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const headers = gatewayHeaders(suite.stack.config, 'flights');
    const entities = async (representations: Record<string, string>[], selection: string) => {
      const res = await fetch(`${suite.stack.subgraphs.flights!.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await headers()) },
        body: JSON.stringify({
          query: `query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`,
          variables: { r: representations },
        }),
      });
      const body = (await res.json()) as { data?: { _entities: unknown[] } };
      return { entities: body.data?._entities, cacheControl: res.headers.get('cache-control') };
    };
    const airport = await entities(
      [{ __typename: 'Airport', code: 'JFK' }],
      '... on Airport { code name }',
    );
    expect(airport.entities).toEqual([{ code: 'JFK', name: expect.any(String) }]);
    expect(airport.cacheControl).toBe('max-age=21600, public');
    const flight = await entities(
      [{ __typename: 'Flight', id: flightId }],
      '... on Flight { id number }',
    );
    expect(flight.entities).toEqual([{ id: flightId, number: expect.any(String) }]);
    expect(flight.cacheControl).toBe('no-store');
  });

  test('a search with the seat map or seat counts is never cached: a hold shows in the very next search', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const input = await searchInputOf(flightId);
    const SEATS = `query($i: FlightSearchInput!) { searchFlights(input: $i) {
      id number seats(cabin: ECONOMY) { number status } } }`;
    const COUNTS = `query($i: FlightSearchInput!) { searchFlights(input: $i) { id availableSeats } }`;
    type Seats = { searchFlights: { id: string; seats: { number: string; status: string }[] }[] };
    type Counts = { searchFlights: { id: string; availableSeats: number }[] };
    const seatsOf = (a: Answer<Seats>) => a.data.searchFlights.find((f) => f.id === flightId)!;
    const countOf = (a: Answer<Counts>) =>
      a.data.searchFlights.find((f) => f.id === flightId)!.availableSeats;

    const before = await post<Seats>(SEATS, { i: input });
    expect(before.cacheControl).toBe('no-store');
    const seat = seatsOf(before).seats.find((s) => s.status === 'AVAILABLE')!.number;
    const countBefore = await post<Counts>(COUNTS, { i: input });
    expect(countBefore.cacheControl).toBe('no-store');

    const { token } = await newCustomer(suite.gw);
    const held = await createBooking(suite.gw, token, flightId, [seat]);
    expect(held.data?.createBooking.status).toBe('HELD');

    const after = await post<Seats>(SEATS, { i: input });
    expect(after.age).toBeNull();
    expect(seatsOf(after).seats.find((s) => s.number === seat)!.status).toBe('HELD');
    const countAfter = await post<Counts>(COUNTS, { i: input });
    expect(countAfter.age).toBeNull();
    expect(countOf(countAfter)).toBe(countOf(countBefore) - 1);
  });

  test('a search for flights alone is shared by every caller for 5 seconds', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const input = await searchInputOf(flightId);
    const SEARCH = `query($i: FlightSearchInput!) { searchFlights(input: $i) {
      id number status departureTime origin { code city } aircraft { code } fare { amount currency } } }`;
    type Found = { searchFlights: { id: string }[] };
    const before = await cachedKeys();
    const first = await post<Found>(SEARCH, { i: input });
    expect(first.cacheControl).toBe('max-age=5, public');
    expect(first.data.searchFlights.map((f) => f.id)).toContain(flightId);
    await waitFor('the search stored', async () =>
      (await cachedKeys()).some((k) => !before.includes(k)),
    );
    const { token } = await newCustomer(suite.gw);
    const second = await post<Found>(SEARCH, { i: input }, token);
    expect(second.age).toMatch(/^\d+$/);
    expect(second.data).toEqual(first.data);
  });

  test("customer A's data is never stored, so never served to customer B", async () => {
    const a = await newCustomer(suite.gw);
    const b = await newCustomer(suite.gw);
    const before = await cachedKeys();
    const ME = 'query Me { me { id email } }';
    const MIXED = 'query Mixed { airports { code } me { email } }';
    for (const [who, other] of [
      [a, b],
      [b, a],
      [a, b],
    ] as const) {
      const me = await post<{ me: { id: string; email: string } }>(ME, {}, who.token);
      expect(me.data.me).toEqual({ id: who.id, email: who.email });
      expect(me.cacheControl).toBe('no-store');
      expect(me.age).toBeNull();
      const mixed = await post<{ me: { email: string } }>(MIXED, {}, who.token);
      expect(mixed.data.me.email).toBe(who.email);
      expect(mixed.data.me.email).not.toBe(other.email);
      expect(mixed.cacheControl).toBe('no-store');
    }

    const flightId = await freshFlight(suite.gw, suite.agent);
    const booking = await createBooking(suite.gw, a.token, flightId, ['20C']);
    const bookingId = booking.data!.createBooking.id;
    const BOOKING = 'query($id: ID!) { booking(id: $id) { id reference customer { email } } }';
    const mine = await post<{ booking: { id: string } | null }>(
      BOOKING,
      { id: bookingId },
      a.token,
    );
    expect(mine.data.booking?.id).toBe(bookingId);
    expect(mine.cacheControl).toBe('no-store');
    const theirs = await post<{ booking: { id: string } | null }>(
      BOOKING,
      { id: bookingId },
      b.token,
    );
    expect(theirs.data?.booking ?? null).toBeNull();
    expect(theirs.age).toBeNull();

    // Nothing personal reached Redis (entries of other tests may only have expired meanwhile).
    await new Promise((r) => setTimeout(r, 100));
    expect((await cachedKeys()).filter((k) => !before.includes(k))).toEqual([]);
  });

  test('a mutation is never cached: the same mutation sent twice runs twice', async () => {
    const { token } = await newCustomer(suite.gw);
    const before = await cachedKeys();
    const ADD = 'mutation Add($i: AddPassengerInput!) { addPassenger(input: $i) { id givenName } }';
    const input = { i: { givenName: 'Grace', familyName: 'Hopper', dateOfBirth: '1906-12-09' } };
    const first = await post<{ addPassenger: { id: string } }>(ADD, input, token);
    const second = await post<{ addPassenger: { id: string } }>(ADD, input, token);
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    expect(second.age).toBeNull();
    expect(second.data.addPassenger.id).not.toBe(first.data.addPassenger.id);
    const { data } = await post<{ me: { passengers: { id: string }[] } }>(
      '{ me { passengers { id } } }',
      {},
      token,
    );
    expect(data.me.passengers).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 100));
    expect((await cachedKeys()).filter((k) => !before.includes(k))).toEqual([]);
  });
});
