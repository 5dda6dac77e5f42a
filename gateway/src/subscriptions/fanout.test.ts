import { fileURLToPath } from 'node:url';
import { parse, type FormattedExecutionResult } from 'graphql';
import { createLogger, type EventQueue } from '@airline/shared';
import { testConfig } from '@airline/shared/testing';
import { composeSupergraph, readSupergraphConfig } from '../compose.ts';
import { SubscriptionFanout, type ClientSubscription } from './fanout.ts';
import { SubscriptionPlanner } from './subscription-planner.ts';
import type { UpstreamClients, UpstreamRequest, UpstreamSink } from './upstream-clients.ts';

// The real supergraph and planner; only the subgraphs are replaced by a hand-fed upstream.
const yaml = fileURLToPath(new URL('../../../supergraph.yaml', import.meta.url));
const supergraph = composeSupergraph(readSupergraphConfig(yaml));

class FakeUpstream {
  readonly open: { request: UpstreamRequest; sink: UpstreamSink; closed: boolean }[] = [];
  subscribe(_subgraph: string, _url: string, request: UpstreamRequest, sink: UpstreamSink) {
    const entry = { request, sink, closed: false };
    this.open.push(entry);
    return () => (entry.closed = true);
  }
  get live() {
    return this.open.filter((o) => !o.closed);
  }
  async dispose() {}
}

function setup(capacity = 4) {
  const upstream = new FakeUpstream();
  const fanout = new SubscriptionFanout({
    upstream: upstream as unknown as UpstreamClients,
    buildDataSource: () => ({
      process: () => Promise.reject(new Error('no entity fetch expected')),
    }),
    formatError: (e) => e,
    logger: createLogger(testConfig('fanout'), 'gateway'),
    queueCapacity: capacity,
  });
  fanout.reload(new SubscriptionPlanner(supergraph));
  return { upstream, fanout };
}

const SEATS =
  'subscription($id: ID!) { seatMapChanged(flightId: $id) { version seats { number status } } }';
const client = (
  query: string,
  variables: Record<string, unknown>,
  userKey: string | null = null,
): ClientSubscription => ({
  document: parse(query),
  operationName: undefined,
  variables,
  context: {
    requestId: 'r',
    clientIp: '127.0.0.1',
    authorization: userKey ? `Bearer ${userKey}` : undefined,
  },
  userKey,
});
const seatEvent = (version: number, seats: Record<string, string>): FormattedExecutionResult => ({
  data: {
    seatMapChanged: {
      version,
      seats: Object.entries(seats).map(([number, status]) => ({ number, status })),
    },
  },
});
type Seats = { seatMapChanged: { version: number; seats: { number: string; status: string }[] } };
const flush = () => new Promise((resolve) => setTimeout(resolve, 20));

async function take(queue: EventQueue<FormattedExecutionResult>, n: number) {
  const out: Seats[] = [];
  for (let i = 0; i < n; i++) out.push((await queue.next()).value.data as Seats);
  return out;
}

test('a client that stops reading holds at most its queue capacity, the others get every event, and it ends up with the merged latest state', async () => {
  const { upstream, fanout } = setup(4);
  const slow = fanout.subscribe(client(SEATS, { id: 'f1' }));
  const fast = fanout.subscribe(client(SEATS, { id: 'f1' }));
  const received: Seats[] = [];
  const reading = (async () => {
    for await (const event of fast) received.push(event.data as Seats);
  })();
  const [feed] = upstream.live;
  for (let v = 1; v <= 500; v++)
    feed!.sink.next(seatEvent(v, { [`${v % 30}A`]: v % 2 ? 'HELD' : 'AVAILABLE' }));
  await flush();

  expect(received).toHaveLength(500);
  expect(slow.size).toBe(4);
  expect(fanout.stats()).toMatchObject({
    upstreams: 1,
    executions: 1,
    clients: 2,
    longestQueue: 4,
  });
  expect(fanout.stats().merged).toBe(496);
  const events = await take(slow, 4);
  expect(events.slice(0, 3).map((e) => e.seatMapChanged.version)).toEqual([1, 2, 3]);
  // The fourth holds every later change, seat by seat, at the latest version.
  const last = events[3]!.seatMapChanged;
  expect(last.version).toBe(500);
  expect(last.seats).toHaveLength(30);
  expect(last.seats.find((s) => s.number === '0A')?.status).toBe('AVAILABLE'); // v480
  expect(last.seats.find((s) => s.number === '29A')?.status).toBe('HELD'); // v479
  await slow.return();
  await fast.return();
  await reading;
  expect(upstream.live).toHaveLength(0);
});

test('identical public subscriptions share one upstream and one execution across users; other variables or selections get their own', async () => {
  const { upstream, fanout } = setup();
  const queues = [
    fanout.subscribe(client(SEATS, { id: 'f1' }, 'alice:CUSTOMER')),
    fanout.subscribe(client(SEATS, { id: 'f1' }, 'bob:CUSTOMER')),
    fanout.subscribe(client(SEATS, { id: 'f1' })),
    // Another selection is another primary fetch: its own execution and upstream.
    fanout.subscribe(
      client('subscription($id: ID!) { seatMapChanged(flightId: $id) { version } }', { id: 'f1' }),
    ),
    fanout.subscribe(client(SEATS, { id: 'f2' })),
  ];
  expect(fanout.stats()).toMatchObject({ clients: 5, executions: 3, upstreams: 3 });
  // Public: no end user's token goes upstream.
  expect(upstream.live.every((u) => !('authorization' in u.request.extensions))).toBe(true);
  for (const q of queues) await q.return();
  expect(fanout.stats()).toMatchObject({ clients: 0, executions: 0, upstreams: 0 });
});

test('a user-scoped subscription runs per user, with that user token upstream', () => {
  const { upstream, fanout } = setup();
  const query = 'subscription($id: ID!) { bookingStatusChanged(bookingId: $id) { id status } }';
  fanout.subscribe(client(query, { id: 'b1' }, 'alice:CUSTOMER'));
  fanout.subscribe(client(query, { id: 'b1' }, 'alice:CUSTOMER'));
  fanout.subscribe(client(query, { id: 'b1' }, 'agent:AGENT'));
  expect(fanout.stats()).toMatchObject({ clients: 3, executions: 2, upstreams: 2 });
  expect(upstream.live.map((u) => u.request.extensions.authorization).sort()).toEqual([
    'Bearer agent:AGENT',
    'Bearer alice:CUSTOMER',
  ]);
});

test('a latecomer starts from every event so far folded into one', async () => {
  const { upstream, fanout } = setup(8);
  const first = fanout.subscribe(client(SEATS, { id: 'f1' }));
  const [feed] = upstream.live;
  feed!.sink.next(seatEvent(7, { '1A': 'AVAILABLE', '1B': 'AVAILABLE' }));
  feed!.sink.next(seatEvent(8, { '1A': 'HELD' }));
  await flush();
  const late = fanout.subscribe(client(SEATS, { id: 'f1' }));
  const [start] = await take(late, 1);
  expect(start!.seatMapChanged).toEqual({
    version: 8,
    seats: [
      { number: '1A', status: 'HELD' },
      { number: '1B', status: 'AVAILABLE' },
    ],
  });
  await first.return();
  await late.return();
});

test('a reload under which the subscription no longer validates ends it with an error', async () => {
  const { fanout } = setup();
  const queue = fanout.subscribe(client(SEATS, { id: 'f1' }));
  const reduced = composeSupergraph(readSupergraphConfig(yaml).filter((s) => s.name !== 'flights'));
  fanout.reload(new SubscriptionPlanner(reduced));
  await expect(queue.next()).rejects.toThrow(/no longer runs/);
  expect(fanout.stats()).toMatchObject({ upstreams: 0, executions: 0 });
});
