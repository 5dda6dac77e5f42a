import { execFileSync } from 'node:child_process';
import { graphql, type BenchSettings, type Scenario, CARD } from '../harness.ts';
import { percentiles, runLoad } from '../load.ts';

interface FlightSeats {
  id: string;
  seats: { number: string; status: string }[];
}

/**
 * Customers the load books for. Bookings allows each customer only a few live holds at once
 * (MAX_LIVE_HOLDS_PER_CUSTOMER, 4) and throttles createBooking per customer, so every worker
 * books for customers of its own in turn: worker w uses w, w + workers, w + 2 * workers, ...
 * Registered a few at a time: password hashing is deliberately slow and memory-hungry.
 */
async function customers(url: string, workers: number, perWorker: number): Promise<string[]> {
  const tokens: string[] = [];
  const total = workers * perWorker;
  for (let i = 0; i < total; i += 4) {
    const batch = Array.from({ length: Math.min(4, total - i) }, (_, j) =>
      customer(url, `c${i + j}`),
    );
    tokens.push(...(await Promise.all(batch)));
  }
  return tokens;
}

/** The customer a worker books for on one iteration: its own, in turn (see `customers`). */
function customerOf(tokens: string[], workers: number, worker: number, iteration: number): string {
  const perWorker = Math.floor(tokens.length / workers);
  return tokens[worker + (iteration % perWorker) * workers]!;
}

async function customer(url: string, tag: string): Promise<string> {
  const { register } = await graphql<{ register: { token: string } }>(
    url,
    'mutation($i: RegisterInput!) { register(input: $i) { token } }',
    {
      i: {
        email: `bench.${tag}.${Date.now()}.${Math.random().toString(36).slice(2, 7)}@example.com`,
        password: 'bench password 1',
        name: 'Bench',
      },
    },
  );
  return register.token;
}

/** Flights a week out with their free economy seats, for the load to spread over. */
async function flightsWithSeats(url: string, token: string): Promise<FlightSeats[]> {
  const date = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const routes = [
    ['JFK', 'LAX'],
    ['LHR', 'JFK'],
    ['ATL', 'ORD'],
    ['LAX', 'SFO'],
    ['CDG', 'FRA'],
    ['DXB', 'LHR'],
  ];
  const found: FlightSeats[] = [];
  for (const [origin, destination] of routes) {
    const { searchFlights } = await graphql<{ searchFlights: FlightSeats[] }>(
      url,
      'query($i: FlightSearchInput!) { searchFlights(input: $i) { id seats(cabin: ECONOMY) { number status } } }',
      { i: { origin, destination, date } },
      token,
    ).catch(() => ({ searchFlights: [] }));
    found.push(...searchFlights);
  }
  if (!found.length)
    throw new Error('no flights found a week out: is the flights schedule seeded?');
  return found;
}

const CREATE = 'mutation($i: CreateBookingInput!) { createBooking(input: $i) { id } }';
const CANCEL = 'mutation($id: ID!) { cancelBooking(id: $id) { status } }';
const PAY = 'mutation($i: PayBookingInput!) { payBooking(input: $i) { status } }';
const STATUS = 'query($id: ID!) { booking(id: $id) { status } }';
const pax = (seat: string) => [
  { givenName: 'Bench', familyName: 'User', dateOfBirth: '1990-01-01', seat },
];

async function send(url: string, query: string, variables: Record<string, unknown>, token: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as {
    data?: Record<string, { id?: string; status?: string } | null>;
    errors?: { extensions?: { code?: string } }[];
  };
}

/** PostgreSQL's own write ceiling on this machine, measured the same way every run. */
function pgbenchTps(seconds: number): number | string {
  const db = `bench_pgbench_${process.pid}`;
  const base = (process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(
    /\/+$/,
    '',
  );
  try {
    execFileSync('psql', [`${base}/postgres`, '-qc', `CREATE DATABASE ${db}`], { stdio: 'ignore' });
    execFileSync('pgbench', ['-i', '-q', '-s', '2', `${base}/${db}`], { stdio: 'ignore' });
    // -N: the simple-update script (writes only), 4 clients like a small service pool.
    const out = execFileSync(
      'pgbench',
      ['-N', '-c', '4', '-j', '2', '-T', String(seconds), `${base}/${db}`],
      { encoding: 'utf8' },
    );
    return Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? NaN);
  } catch (err) {
    return `pgbench unavailable: ${(err as Error).message.split('\n')[0]}`;
  } finally {
    try {
      execFileSync('psql', [`${base}/postgres`, '-qc', `DROP DATABASE IF EXISTS ${db}`], {
        stdio: 'ignore',
      });
    } catch {
      // nothing to clean up
    }
  }
}

type Seat = { flightId: string; seat: string };

/** Free seats, split so the three runs never compete for the same seat by accident. */
function seatPools(flights: FlightSeats[]) {
  const free = flights.flatMap((f) =>
    f.seats
      .filter((s) => s.status === 'AVAILABLE')
      .map((s) => ({ flightId: f.id, seat: s.number })),
  );
  const half = Math.floor(free.length / 2);
  return {
    spread: free.slice(0, half),
    hot: free[half]!,
    endToEnd: free.slice(half + 1).reverse(),
  };
}

async function holds(
  settings: BenchSettings,
  free: Seat[],
  hot: Seat,
  tokens: string[],
  contended: boolean,
) {
  let next = 0;
  const workers = settings.connections;
  // Latency of createBooking alone: a spread hold is released right after (so no customer keeps
  // more than one live hold), and that cancel is not part of the figure.
  const createMs: Record<string, number[]> = {};
  const result = await runLoad(workers, settings.durationSeconds, async (worker, iteration) => {
    const token = customerOf(tokens, workers, worker, iteration);
    const target = contended ? hot : free[next++ % free.length]!;
    const t0 = performance.now();
    const body = await send(
      settings.gatewayUrl,
      CREATE,
      { i: { flightId: target.flightId, passengers: pax(target.seat) } },
      token,
    );
    const id = body.data?.createBooking?.id;
    const outcome = body.errors?.[0]?.extensions?.code ?? (id ? 'HELD' : 'no data');
    (createMs[outcome] ??= []).push(performance.now() - t0);
    if (id && !contended) await send(settings.gatewayUrl, CANCEL, { id }, token);
    return outcome;
  });
  return {
    requestsPerSecond: Math.round(
      Object.values(result.outcomes).reduce((a, b) => a + b, 0) / result.elapsedSeconds,
    ),
    outcomes: result.outcomes,
    latency: Object.fromEntries(Object.entries(createMs).map(([k, v]) => [k, percentiles(v)])),
  };
}

async function confirmedFlow(settings: BenchSettings, free: Seat[], tokens: string[]) {
  let next = 0;
  const sagaMs: number[] = [];
  const workers = settings.connections;
  // One booking at a time per worker, each ending CONFIRMED (or failed): never more than one live
  // hold per customer.
  const result = await runLoad(workers, settings.durationSeconds, async (worker, iteration) => {
    const token = customerOf(tokens, workers, worker, iteration);
    const target = free[next++ % free.length]!;
    const created = await send(
      settings.gatewayUrl,
      CREATE,
      { i: { flightId: target.flightId, passengers: pax(target.seat) } },
      token,
    );
    const id = created.data?.createBooking?.id;
    if (!id) return created.errors?.[0]?.extensions?.code ?? 'not created';
    const t0 = performance.now();
    const paid = await send(
      settings.gatewayUrl,
      PAY,
      { i: { bookingId: id, card: CARD, idempotencyKey: `bench-${id}` } },
      token,
    );
    if (paid.errors?.length) return paid.errors[0]?.extensions?.code ?? 'pay failed';
    for (let i = 0; i < 600; i++) {
      const s = (await send(settings.gatewayUrl, STATUS, { id }, token)).data?.booking?.status;
      if (s === 'CONFIRMED' || s === 'PAYMENT_FAILED' || s === 'CANCELLED') {
        sagaMs.push(performance.now() - t0);
        return s;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return 'timed out';
  });
  return {
    confirmedPerSecond: +((result.outcomes.CONFIRMED ?? 0) / result.elapsedSeconds).toFixed(1),
    outcomes: result.outcomes,
    sagaLatencyPayToConfirmed: percentiles(sagaMs),
  };
}

/**
 * Seat holds with and without contention, end-to-end confirmations, and PostgreSQL's write
 * ceiling. createBooking is throttled per client address and per customer (RATE_LIMIT_BOOKINGS_*):
 * all the load comes from one address, so for throughput figures start the stack with those
 * limits raised (e.g. RATE_LIMIT_BOOKINGS_PER_IP_PER_MINUTE=1000000); refusals show up as
 * RATE_LIMITED in the outcomes rather than skewing them silently.
 */
export const bookingsScenario: Scenario = {
  name: 'bookings',
  description:
    'createBooking holds (spread vs one hot seat), hold -> pay -> CONFIRMED, pgbench ceiling',
  async run(settings) {
    const tokens = await customers(settings.gatewayUrl, settings.connections, 8);
    const flights = await flightsWithSeats(settings.gatewayUrl, tokens[0]!);
    const pools = seatPools(flights);
    const uncontended = await holds(settings, pools.spread, pools.hot, tokens, false);
    // Every request wants the same seat: exactly one HELD is the correct outcome.
    const contended = await holds(settings, pools.spread, pools.hot, tokens, true);
    const endToEnd = await confirmedFlow(settings, pools.endToEnd, tokens);
    const pgbenchWriteTps = pgbenchTps(settings.durationSeconds);
    return {
      holdsSpreadOverSeats: uncontended,
      holdsAllOnOneSeat: contended,
      endToEnd,
      pgbenchSimpleUpdateTps: pgbenchWriteTps,
      confirmedAsFractionOfPgbench:
        typeof pgbenchWriteTps === 'number'
          ? +(endToEnd.confirmedPerSecond / pgbenchWriteTps).toFixed(4)
          : null,
    };
  },
};
