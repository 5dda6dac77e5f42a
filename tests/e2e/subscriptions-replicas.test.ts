import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningServer } from '@airline/shared';
import { composeSupergraph, readSupergraphConfig } from '../../gateway/src/compose.ts';
import { startGateway } from '../../gateway/src/server.ts';
import type { SubscriptionFanout } from '../../gateway/src/subscriptions/index.ts';
import { startFlights } from '../../subgraphs/flights/src/service.ts';
import { createBooking, freshFlight, newCustomer } from '../testkit/flows.ts';
import { LiveClient } from '../testkit/live-client.ts';
import { useBookingStack } from '../testkit/stack.ts';
import { waitFor } from '@airline/shared/testing';

const suite = useBookingStack('subreplicas');
const SUPERGRAPH_YAML = fileURLToPath(new URL('../../supergraph.yaml', import.meta.url));

type SeatEvent = {
  seatMapChanged: { version: number; seats: { number: string; status: string }[] };
};
const SEAT_MAP = `subscription($id: ID!) {
  seatMapChanged(flightId: $id) { version seats { number status } }
}`;
const seat = (e: SeatEvent, n: string) =>
  e.seatMapChanged.seats.find((s) => s.number === n)?.status;

/** The suite's supergraph with some subgraphs at other URLs (another replica). */
function supergraphWith(urls: Record<string, string>): string {
  const own = Object.fromEntries(
    Object.entries(suite.stack.subgraphs).map(([n, s]) => [n, `${s.url}/graphql`]),
  );
  return composeSupergraph(readSupergraphConfig(SUPERGRAPH_YAML, { ...own, ...urls }));
}

const extras: RunningServer[] = [];
const clients: LiveClient[] = [];
// Each test stops what it started before the next one, and before the suite's afterAll drops the
// stack's databases and broker: a replica still running then retries against what is gone and
// its stop waits for it. Draining a gateway and a flights replica on a loaded 2-core machine
// takes longer than the default hook timeout.
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const server of extras.splice(0).reverse()) await server.stop();
}, 90_000);

test('two gateways over two flights replicas each deliver a hold to their own watchers', async () => {
  const flights2 = await startFlights(suite.stack.config, { port: 0, seedDays: 0 });
  extras.push(flights2);
  const gateway2 = await startGateway(
    suite.stack.config,
    { sdl: supergraphWith({ flights: `${flights2.url}/graphql` }) },
    { port: 0 },
  );
  extras.push(gateway2);

  const flightId = await freshFlight(suite.gw, suite.agent);
  const one = new LiveClient(suite.stack.gatewayUrl);
  const two = new LiveClient(gateway2.url);
  clients.push(one, two);
  const watches = [
    await one.subscribe<SeatEvent>(SEAT_MAP, { id: flightId }),
    await two.subscribe<SeatEvent>(SEAT_MAP, { id: flightId }),
  ];
  await Promise.all(watches.map((w) => w.next()));

  const me = await newCustomer(suite.gw);
  await createBooking(suite.gw, me.token, flightId, ['7A']);
  const seen = await Promise.all(watches.map((w) => w.next((e) => seat(e, '7A') === 'HELD')));
  // The same message (one version) through both paths.
  expect(seen[0]!.seatMapChanged.version).toBe(seen[1]!.seatMapChanged.version);
});

test('a supergraph reload keeps an unaffected subscription on its upstream, and moves one whose subgraph moved', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'supergraph-live-'));
  const file = join(dir, 'supergraph.graphql');
  const write = (sdl: string) => {
    // Atomic replace, as composition does.
    writeFileSync(`${file}.tmp`, sdl);
    renameSync(`${file}.tmp`, file);
  };
  write(supergraphWith({}));
  let fanout: SubscriptionFanout | undefined;
  const gateway = await startGateway(
    suite.stack.config,
    { file },
    { port: 0, onSubscriptions: (f) => (fanout = f) },
  );
  extras.push(gateway);
  const client = new LiveClient(gateway.url);
  clients.push(client);
  const flightId = await freshFlight(suite.gw, suite.agent);
  const me = await newCustomer(suite.gw);
  const watch = await client.subscribe<SeatEvent>(SEAT_MAP, { id: flightId });
  await watch.next();

  // Payments moves (a new URL): flights' subscription is untouched, no new snapshot.
  const first = fanout!.planner;
  write(supergraphWith({ payments: 'http://127.0.0.1:9/graphql' }));
  await waitFor('the gateway to reload', () => fanout!.planner !== first);
  await createBooking(suite.gw, me.token, flightId, ['5A']);
  await watch.next((e) => seat(e, '5A') === 'HELD');
  expect(watch.events).toHaveLength(2);

  // Flights moves to another replica: the subscription resubscribes there (a fresh snapshot
  // first) and keeps going.
  const flights2 = await startFlights(suite.stack.config, { port: 0, seedDays: 0 });
  extras.push(flights2);
  const second = fanout!.planner;
  write(supergraphWith({ flights: `${flights2.url}/graphql` }));
  await waitFor('the gateway to reload', () => fanout!.planner !== second);
  const resnapshot = await watch.next((e) => e.seatMapChanged.seats.length > 100, { from: 2 });
  expect(seat(resnapshot, '5A')).toBe('HELD');
  await createBooking(suite.gw, me.token, flightId, ['5B']);
  await watch.next((e) => seat(e, '5B') === 'HELD', { from: 3 });
  expect(watch.end).toBeUndefined();
  expect(fanout!.stats().upstreams).toBe(1);
});

test('a restarted subgraph: the gateway reconnects, resubscribes, and the watcher gets a fresh map then new changes', async () => {
  const flightId = await freshFlight(suite.gw, suite.agent);
  const client = new LiveClient(suite.stack.gatewayUrl);
  clients.push(client);
  const watch = await client.subscribe<SeatEvent>(SEAT_MAP, { id: flightId });
  await watch.next();
  await suite.stack.restart('flights');
  // The resubscription starts with the whole map again.
  await watch.next((e) => e.seatMapChanged.seats.length > 100, { from: 1, timeoutMs: 15_000 });
  const me = await newCustomer(suite.gw);
  await createBooking(suite.gw, me.token, flightId, ['3C']);
  await watch.next((e) => seat(e, '3C') === 'HELD', { from: 1 });
  expect(watch.end).toBeUndefined();
});
