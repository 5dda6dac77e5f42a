import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { asGateway, graphql, ratio, type BenchSettings, type Scenario, CARD } from '../harness.ts';
import { cpuSampler, stackQuiet } from '../cpu.ts';
import { percentiles, runLoad } from '../load.ts';
import { ofPgbench, pgbenchTpcb } from './pgbench.ts';
import { searchDays } from './search.ts';

// The booking path's scaling curves, every figure also read against pgbench's TPC-B tps measured
// in the same run:
// - seat holds: createBooking through the gateway at 1, 10, 100 and 500 concurrent customers,
//   each its own account and token, each request a different free seat over many flights;
// - confirmations with an OPEN-LOOP arrival rate: bookings arrive at a fixed rate (hold -> pay ->
//   CONFIRMED) whatever the stack's latency, over a pool of customers, and payBooking ->
//   CONFIRMED is timed from the bookingStatusChanged subscription, as a client app sees it;
// - for both, the CPU time each process of the stack spent per hold or per confirmed booking.
// Rate limits refuse such load from one address in development: start the stack for the bench
// with them raised (see START_HINT); refusals are counted apart from the figures, never hidden.

/** How to start the stack so that the limits do not shape the figures. */
export const START_HINT =
  'RATE_LIMIT_BOOKINGS_PER_IP_PER_MINUTE=100000000 RATE_LIMIT_BOOKINGS_PER_CUSTOMER_PER_MINUTE=100000000 MAX_LIVE_HOLDS_PER_CUSTOMER=100000000 RATE_LIMIT_REGISTER_PER_IP_PER_MINUTE=100000 PASSWORD_SCRYPT_LOG_N=12 npm start';

const list = (value: string | undefined, fallback: number[]) =>
  value
    ? value
        .split(',')
        .map(Number)
        .filter((n) => n > 0)
    : fallback;
const LEVELS = list(process.env.BENCH_HOLD_CUSTOMERS, [1, 10, 100, 500]);
const RATES = list(process.env.BENCH_CONFIRM_RATES, [10, 25, 50, 100]);
/** Customers the open-loop arrivals are spread over (each has at most one booking under way). */
const POOL = Math.max(100, Number(process.env.BENCH_CONFIRM_CUSTOMERS ?? 500));
const POISSON = process.env.BENCH_ARRIVALS === 'poisson';
const SAGA_TIMEOUT_MS = 30_000;
/** The least pause between steps; then the stack must be quiet (`stackQuiet`), a minute at most. */
const SETTLE_MS = Number(process.env.BENCH_SETTLE_SECONDS ?? 3) * 1000;
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const waited = await stackQuiet();
  process.stderr.write(
    `bench: scaling: stack quiet after ${((SETTLE_MS + waited) / 1000).toFixed(1)} s\n`,
  );
}
const CREATE = 'mutation($i: CreateBookingInput!) { createBooking(input: $i) { id } }';
const CANCEL = 'mutation($id: ID!) { cancelBooking(id: $id) { status } }';
const PAY = 'mutation($i: PayBookingInput!) { payBooking(input: $i) { status } }';
const WATCH = 'subscription($id: ID!) { bookingStatusChanged(bookingId: $id) { status } }';
const REFUSED = 'RATE_LIMITED';

type Seat = { flightId: string; seat: string };
type Reply = {
  data?: Record<string, { id?: string; status?: string } | null>;
  errors?: { message?: string; extensions?: { code?: string } }[];
};

async function send(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<Reply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Reply;
}

const codeOf = (reply: Reply, fallback: string) =>
  reply.errors?.[0]?.extensions?.code ?? (reply.errors?.length ? 'error' : fallback);

/** Registers `count` customers, a few at a time (password hashing is deliberately slow). */
async function customers(url: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i += 8) {
    const batch = Array.from({ length: Math.min(8, count - i) }, async (_, j) => {
      const { register } = await graphql<{ register: { token: string } }>(
        url,
        'mutation($i: RegisterInput!) { register(input: $i) { token } }',
        {
          i: {
            email: `bench.scale.${i + j}.${Date.now()}.${Math.random().toString(36).slice(2, 7)}@example.com`,
            password: 'bench password 1',
            name: 'Bench',
          },
        },
      );
      return register.token;
    });
    tokens.push(...(await Promise.all(batch)));
    if (i === 0 && performance.now() - started > 2_000)
      process.stderr.write(
        `bench: scaling: registering ${count} customers is slow (password hashing); start the stack with PASSWORD_SCRYPT_LOG_N=12\n`,
      );
  }
  return tokens;
}

/**
 * Free seats over many flights (every route flown once a day, 10 to 28 days out, read from the
 * flights subgraph directly), shuffled across flights so concurrent holds rarely meet on one.
 */
async function freeSeats(settings: BenchSettings, wanted: number): Promise<Seat[]> {
  const url = settings.subgraphUrl('flights');
  const headers = await asGateway(settings, 'flights');
  const perFlight: Seat[][] = [];
  let total = 0;
  for (const i of searchDays(10, 28)) {
    const { searchFlights } = await graphql<{
      searchFlights: { id: string; seats: { number: string; status: string }[] }[];
    }>(
      url,
      'query($i: FlightSearchInput!) { searchFlights(input: $i) { id seats { number status } } }',
      { i },
      undefined,
      headers,
    );
    for (const f of searchFlights) {
      const seats = f.seats
        .filter((s) => s.status === 'AVAILABLE')
        .map((s) => ({ flightId: f.id, seat: s.number }));
      perFlight.push(seats);
      total += seats.length;
    }
    if (total >= wanted) break;
  }
  if (!total) throw new Error('no free seats found: is the flights schedule seeded?');
  // Round-robin over the flights: consecutive holds go to different flights.
  const out: Seat[] = [];
  for (let k = 0; out.length < total; k++)
    for (const seats of perFlight) if (seats[k]) out.push(seats[k]!);
  return out;
}

/** Hands out each free seat once. */
class SeatPool {
  #next = 0;
  readonly #seats: Seat[];
  constructor(seats: Seat[]) {
    this.#seats = seats;
  }
  take(): Seat | undefined {
    return this.#seats[this.#next++];
  }
  get left(): number {
    return this.#seats.length - this.#next;
  }
}

/** One createBooking of one passenger on `seat`, as `token`'s customer. */
const hold = (settings: BenchSettings, token: string, seat: Seat, familyName: string) =>
  send(
    settings.gatewayUrl,
    CREATE,
    {
      i: {
        flightId: seat.flightId,
        passengers: [
          { givenName: 'Bench', familyName, dateOfBirth: '1990-01-01', seat: seat.seat },
        ],
      },
    },
    token,
  );

/**
 * `customers` closed-loop clients, one customer each, holding a different free seat with every
 * createBooking for `seconds`; the holds are released afterwards (not part of the figures).
 */
async function holdsAt(
  settings: BenchSettings,
  tokens: string[],
  seats: SeatPool,
  customers: number,
) {
  const held: { id: string; token: string }[] = [];
  const latency: Record<string, number[]> = {};
  const cpu = cpuSampler();
  const result = await runLoad(customers, settings.durationSeconds, async (worker) => {
    const token = tokens[worker % tokens.length]!;
    const seat = seats.take();
    if (!seat) return 'no free seat left';
    const t0 = performance.now();
    const reply = await hold(settings, token, seat, 'Scale');
    const id = reply.data?.createBooking?.id;
    const outcome = id ? 'HELD' : codeOf(reply, 'no data');
    (latency[outcome] ??= []).push(performance.now() - t0);
    if (id) held.push({ id, token });
    return outcome;
  });
  const heldCount = result.outcomes.HELD ?? 0;
  const cpuMsPerHold = cpu.per(heldCount);
  const refused = result.outcomes[REFUSED] ?? 0;
  // Release the seats and the customers' live holds before the next level.
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < held.length; i = next++)
        await send(settings.gatewayUrl, CANCEL, { id: held[i]!.id }, held[i]!.token).catch(
          () => undefined,
        );
    }),
  );
  return {
    customers,
    holdsPerSecond: +(heldCount / result.elapsedSeconds).toFixed(1),
    ...percentiles(latency.HELD ?? []),
    refused,
    cpuMsPerHold,
    outcomes: result.outcomes,
    latencyByOutcome: Object.fromEntries(
      Object.entries(latency).map(([k, v]) => [k, percentiles(v)]),
    ),
  };
}

/** A customer's live connection: one graphql-ws client over which its bookings are watched. */
function liveClient(gatewayUrl: string, token: string): Client {
  return createClient({
    url: gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
    // Stays open between the customer's bookings.
    lazyCloseTimeout: 60_000,
  });
}

/** Watches one booking: resolves with the first event whose status is in `until`. */
function watch(client: Client, bookingId: string) {
  const waiters: { match: (s: string) => boolean; resolve: (s: string) => void }[] = [];
  let failure: Error | undefined;
  let ready!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const stop = client.subscribe<{ bookingStatusChanged: { status: string } }>(
    { query: WATCH, variables: { id: bookingId } },
    {
      next: (event) => {
        const status = event.data?.bookingStatusChanged.status;
        ready();
        if (!status) return;
        for (const w of waiters.splice(0)) {
          if (w.match(status)) w.resolve(status);
          else waiters.push(w);
        }
      },
      error: (err) => {
        failure = new Error(`subscription failed: ${JSON.stringify(err).slice(0, 120)}`);
        ready();
        for (const w of waiters.splice(0)) w.resolve('subscription error');
      },
      complete: () => {
        ready();
        for (const w of waiters.splice(0)) w.resolve('subscription completed');
      },
    },
  );
  return {
    /** The first event (the booking as it is): the subscription is live end to end. */
    started: () => started.then(() => failure),
    until: (statuses: string[], timeoutMs: number) =>
      new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve('timed out'), timeoutMs);
        waiters.push({
          match: (s) => statuses.includes(s),
          resolve: (s) => {
            clearTimeout(timer);
            resolve(s);
          },
        });
      }),
    stop,
  };
}

/**
 * Open loop: a booking arrives every 1/rate s (or at Poisson arrivals) for `seconds`, each for
 * the next idle customer of the pool: hold, watch, pay, wait for CONFIRMED. An arrival that finds
 * no idle customer is counted as dropped (the pool is too small for the latency, not a result).
 */
async function confirmationsAt(
  settings: BenchSettings,
  rate: number,
  tokens: string[],
  clients: Client[],
  seats: SeatPool,
) {
  const idle = tokens.map((_, i) => i);
  const outcomes: Record<string, number> = {};
  const payToConfirmed: number[] = [];
  const holdMs: number[] = [];
  let inFlight = 0;
  let peakInFlight = 0;
  let lastConfirmedAt = 0;
  const count = (label: string) => (outcomes[label] = (outcomes[label] ?? 0) + 1);

  const booking = async (customer: number) => {
    const token = tokens[customer]!;
    const seat = seats.take();
    if (!seat) return 'no free seat left';
    const t0 = performance.now();
    const created = await hold(settings, token, seat, 'Open');
    const id = created.data?.createBooking?.id;
    if (!id) return codeOf(created, 'not created');
    holdMs.push(performance.now() - t0);
    const w = watch(clients[customer]!, id);
    try {
      const failed = await Promise.race([
        w.started(),
        new Promise<Error>((r) => setTimeout(() => r(new Error('no first event')), 10_000)),
      ]);
      if (failed) return `watch: ${failed.message}`;
      const done = w.until(
        ['CONFIRMED', 'PAYMENT_FAILED', 'CANCELLED', 'EXPIRED'],
        SAGA_TIMEOUT_MS,
      );
      const t1 = performance.now();
      const paid = await send(
        settings.gatewayUrl,
        PAY,
        { i: { bookingId: id, card: CARD, idempotencyKey: `bench-open-${id}` } },
        token,
      );
      if (paid.errors?.length) return `pay: ${codeOf(paid, 'failed')}`;
      const status = await done;
      if (status === 'CONFIRMED') {
        payToConfirmed.push(performance.now() - t1);
        lastConfirmedAt = performance.now();
      }
      return status;
    } finally {
      w.stop();
    }
  };

  const cpu = cpuSampler();
  const started = performance.now();
  const end = started + settings.durationSeconds * 1000;
  const flows: Promise<void>[] = [];
  let arrivals = 0;
  for (let at = started; at < end;) {
    const wait = at - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    arrivals++;
    const customer = idle.shift();
    if (customer === undefined) count('dropped: no idle customer');
    else {
      inFlight++;
      peakInFlight = Math.max(peakInFlight, inFlight);
      flows.push(
        booking(customer)
          .catch((err: Error) => `error: ${err.message.slice(0, 80)}`)
          .then((label) => {
            count(label);
            inFlight--;
            idle.push(customer);
          }),
      );
    }
    at += POISSON ? (-Math.log(1 - Math.random()) * 1000) / rate : 1000 / rate;
  }
  const arrivalSeconds = (performance.now() - started) / 1000;
  await Promise.all(flows);
  const confirmed = outcomes.CONFIRMED ?? 0;
  // Everything the stack did from the first arrival to the last saga's end, per booking confirmed.
  const cpuMsPerConfirmed = cpu.per(confirmed);
  // Every confirmation over the time from the first arrival to the last confirmation.
  const spanSeconds = Math.max(arrivalSeconds, ((lastConfirmedAt || end) - started) / 1000);
  return {
    offeredPerSecond: rate,
    arrivals,
    arrivalSeconds: +arrivalSeconds.toFixed(1),
    confirmedPerSecond: +(confirmed / spanSeconds).toFixed(1),
    payToConfirmed: percentiles(payToConfirmed),
    createBooking: percentiles(holdMs),
    peakBookingsUnderWay: peakInFlight,
    cpuMsPerConfirmed,
    refused: Object.entries(outcomes)
      .filter(([k]) => k.includes(REFUSED))
      .reduce((sum, [, n]) => sum + n, 0),
    outcomes,
  };
}

export const scalingScenario: Scenario = {
  name: 'scaling',
  description: `booking path: holds/s + p99 at ${LEVELS.join('/')} concurrent customers; open-loop hold -> pay -> CONFIRMED at ${RATES.join('/')}/s over ${POOL} customers; all against pgbench TPC-B`,
  async run(settings) {
    // Without pgbench the curves are still measured; their fractions of it are null.
    const pg = await pgbenchTpcb(settings.durationSeconds).catch((err: Error) => {
      process.stderr.write(`bench: scaling: ${err.message}\n`);
      return undefined;
    });
    const wanted = Math.max(...LEVELS, 1);
    process.stderr.write(`bench: scaling: registering ${Math.max(wanted, POOL)} customers\n`);
    const tokens = await customers(settings.gatewayUrl, Math.max(wanted, POOL));
    // Enough seats for every hold the levels and rates could make (generously), and no more.
    const estimate =
      settings.durationSeconds * (LEVELS.length * 400 + RATES.reduce((a, b) => a + b, 0) * 1.2);
    const seats = new SeatPool(await freeSeats(settings, estimate));
    process.stderr.write(`bench: scaling: ${seats.left} free seats to spread the load over\n`);

    const holds: (Awaited<ReturnType<typeof holdsAt>> & { holdsOverPgbench: number | null })[] = [];
    for (const level of LEVELS) {
      await settle();
      process.stderr.write(`bench: scaling: holds with ${level} concurrent customers\n`);
      const h = await holdsAt(settings, tokens, seats, level);
      holds.push({ ...h, holdsOverPgbench: ofPgbench(h.holdsPerSecond, pg) });
    }

    const clients = tokens.slice(0, POOL).map((t) => liveClient(settings.gatewayUrl, t));
    const confirmations: (Awaited<ReturnType<typeof confirmationsAt>> & {
      confirmedOverPgbench: number | null;
    })[] = [];
    try {
      for (const rate of RATES) {
        await settle();
        process.stderr.write(`bench: scaling: open-loop confirmations at ${rate}/s\n`);
        const c = await confirmationsAt(settings, rate, tokens.slice(0, POOL), clients, seats);
        confirmations.push({ ...c, confirmedOverPgbench: ofPgbench(c.confirmedPerSecond, pg) });
      }
    } finally {
      await Promise.all(clients.map((c) => c.dispose()));
    }
    const refusals =
      holds.reduce((sum, h) => sum + h.refused, 0) +
      confirmations.reduce((sum, c) => sum + c.refused, 0);
    const best = (xs: typeof holds) =>
      xs.reduce((a, b) => (b.holdsPerSecond > a.holdsPerSecond ? b : a));
    const bestConfirmed = confirmations.reduce((a, b) =>
      b.confirmedPerSecond > a.confirmedPerSecond ? b : a,
    );
    return {
      pgbenchTps: pg?.tps ?? null,
      holds,
      confirmationsOpenLoop: {
        customers: POOL,
        arrivals: POISSON ? 'poisson' : 'fixed interval',
        sagaTimeoutMs: SAGA_TIMEOUT_MS,
        steps: confirmations,
      },
      peak: {
        holdsPerSecond: best(holds).holdsPerSecond,
        holdsAtCustomers: best(holds).customers,
        holdsOverPgbench: ofPgbench(best(holds).holdsPerSecond, pg),
        confirmedPerSecond: bestConfirmed.confirmedPerSecond,
        confirmedAtOfferedRate: bestConfirmed.offeredPerSecond,
        confirmedOverPgbench: ofPgbench(bestConfirmed.confirmedPerSecond, pg),
        payToConfirmedAtThatRate: bestConfirmed.payToConfirmed,
        confirmedOverOffered: ratio(
          bestConfirmed.confirmedPerSecond,
          bestConfirmed.offeredPerSecond,
        ),
      },
      refusals,
      ...(refusals
        ? {
            warning: `${refusals} requests were refused (RATE_LIMITED): the figures are shaped by the stack's limits; start it with: ${START_HINT}`,
          }
        : {}),
    };
  },
};
