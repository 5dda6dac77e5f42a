import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ServiceTokens } from '@airline/shared';
import { newCustomer, createBooking, freshFlight } from '../testkit/flows.ts';
import { LiveClient } from '../testkit/live-client.ts';
import { useBookingStack } from '../testkit/stack.ts';

const suite = useBookingStack('subflights');

interface SeatMapUpdate {
  seatMapChanged: {
    version: number;
    flight: { id: string };
    seats: { number: string; status: string }[];
  };
}

const SEAT_MAP = `subscription($id: ID!) {
  seatMapChanged(flightId: $id) { version flight { id } seats { number status } }
}`;

const statusOf = (update: SeatMapUpdate, seat: string) =>
  update.seatMapChanged.seats.find((s) => s.number === seat)?.status;

const clients: LiveClient[] = [];
const connect = (token?: string) => {
  const client = new LiveClient(suite.stack.gatewayUrl, token);
  clients.push(client);
  return client;
};
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

test('a watcher first gets the whole seat map, then sees a hold and its release live', async () => {
  const flightId = await freshFlight(suite.gw, suite.agent);
  const watcher = await connect().subscribe<SeatMapUpdate>(SEAT_MAP, { id: flightId });
  const snapshot = await watcher.next();
  expect(snapshot.seatMapChanged.flight.id).toBe(flightId);
  expect(snapshot.seatMapChanged.seats.length).toBeGreaterThan(100);
  expect(statusOf(snapshot, '14C')).toBe('AVAILABLE');

  const me = await newCustomer(suite.gw);
  const booking = (await createBooking(suite.gw, me.token, flightId, ['14C', '14D'])).data!
    .createBooking;
  const held = await watcher.next((u) => statusOf(u, '14C') === 'HELD');
  expect(held.seatMapChanged.seats).toEqual([
    { number: '14C', status: 'HELD' },
    { number: '14D', status: 'HELD' },
  ]);
  expect(held.seatMapChanged.version).toBeGreaterThan(snapshot.seatMapChanged.version);

  await suite.gw.data(
    'mutation($id: ID!) { cancelBooking(id: $id) { status } }',
    { id: booking.id },
    { token: me.token },
  );
  const freed = await watcher.next((u) => statusOf(u, '14C') === 'AVAILABLE', {
    from: watcher.events.length - 1,
  });
  expect(freed.seatMapChanged.version).toBe(held.seatMapChanged.version + 1);
});

test('logged-in and anonymous watchers of one flight share one upstream subscription', async () => {
  const flightId = await freshFlight(suite.gw, suite.agent);
  const alice = await newCustomer(suite.gw);
  const bob = await newCustomer(suite.gw);
  const watches = await Promise.all(
    [connect(alice.token), connect(bob.token), connect()].map((c) =>
      c.subscribe<SeatMapUpdate>(SEAT_MAP, { id: flightId }),
    ),
  );
  await Promise.all(watches.map((w) => w.next()));
  await createBooking(suite.gw, alice.token, flightId, ['20A']);
  for (const watch of watches) await watch.next((u) => statusOf(u, '20A') === 'HELD');
  const stats = suite.stack.subscriptions().stats();
  expect(stats.clients).toBeGreaterThanOrEqual(3);
  // One execution and one upstream for the three of them (other tests' are closed by now).
  expect(stats.executions).toBe(1);
  expect(stats.upstreams).toBe(1);
});

test('a watcher who joins later starts from the current map, holds included', async () => {
  const flightId = await freshFlight(suite.gw, suite.agent);
  const first = await connect().subscribe<SeatMapUpdate>(SEAT_MAP, { id: flightId });
  await first.next();
  const me = await newCustomer(suite.gw);
  await createBooking(suite.gw, me.token, flightId, ['21B']);
  await first.next((u) => statusOf(u, '21B') === 'HELD');

  const late = await connect().subscribe<SeatMapUpdate>(SEAT_MAP, { id: flightId });
  const start = await late.next();
  expect(statusOf(start, '21B')).toBe('HELD');
  expect(start.seatMapChanged.seats.length).toBeGreaterThan(100);
});

test('delay, gate change and cancellation arrive on flightStatusChanged, then it completes', async () => {
  const flightId = await freshFlight(suite.gw, suite.agent);
  const watch = await connect().subscribe<{
    flightStatusChanged: {
      id: string;
      status: string;
      gate: string | null;
      delayReason: string | null;
    };
  }>(
    'subscription($id: ID!) { flightStatusChanged(flightId: $id) { id status gate delayReason } }',
    { id: flightId },
  );
  const start = await watch.next();
  expect(start.flightStatusChanged.status).toBe('SCHEDULED');

  const { flight } = await suite.gw.data<{ flight: { departureTime: string } }>(
    'query($id: ID!) { flight(id: $id) { departureTime } }',
    { id: flightId },
  );
  const later = new Date(new Date(flight.departureTime).getTime() + 90 * 60_000).toISOString();
  await suite.gw.data(
    'mutation($id: ID!, $t: DateTime!) { delayFlight(id: $id, newDepartureTime: $t, reason: "Crew") { id } }',
    { id: flightId, t: later },
    { token: suite.agent },
  );
  const delayed = await watch.next((d) => d.flightStatusChanged.status === 'DELAYED');
  expect(delayed.flightStatusChanged.delayReason).toBe('Crew');

  await suite.gw.data(
    'mutation($id: ID!) { changeGate(id: $id, gate: "B42") { id } }',
    { id: flightId },
    { token: suite.agent },
  );
  await watch.next((d) => d.flightStatusChanged.gate === 'B42');

  await suite.gw.data(
    'mutation($id: ID!) { cancelFlight(id: $id, reason: "Storm") { id } }',
    { id: flightId },
    { token: suite.agent },
  );
  await watch.next((d) => d.flightStatusChanged.status === 'CANCELLED');
  expect(await watch.ended).toEqual({ kind: 'complete' });
});

test('an unknown flight is refused with NOT_FOUND', async () => {
  const watch = await connect().subscribe(SEAT_MAP, {
    id: '00000000-0000-4000-8000-000000000000',
  });
  await watch.ended;
  expect(watch.events[0]?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
});

test('a subgraph refuses a WebSocket that does not carry the gateway credential for it (4403)', async () => {
  const flightsWs = `${suite.stack.subgraphs.flights!.url.replace(/^http/, 'ws')}/graphql`;
  const tokens = new ServiceTokens(suite.stack.config.serviceSecret, 'gateway');
  const attempt = async (connectionParams: Record<string, unknown>) => {
    let closeCode: number | undefined;
    const client = createClient({
      url: flightsWs,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams,
      on: { closed: (e) => (closeCode ??= (e as { code: number }).code) },
    });
    const first = await new Promise<unknown>((resolve) => {
      client.subscribe(
        { query: '{ __typename }' },
        { next: resolve, error: () => resolve(undefined), complete: () => resolve(undefined) },
      );
    });
    await client.dispose();
    return { first, closeCode };
  };
  expect((await attempt({})).closeCode).toBe(4403);
  // A credential addressed to another subgraph is not one for flights.
  expect((await attempt({ gatewayToken: await tokens.sign('bookings') })).closeCode).toBe(4403);
  expect((await attempt({ gatewayToken: await tokens.forAudience('flights') })).first).toEqual({
    data: { __typename: 'Query' },
  });
});
