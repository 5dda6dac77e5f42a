import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { loadConfig } from '../../../shared/src/config.ts';
import { graphql, pidListeningOn, rssMb, type BenchSettings, type Scenario } from '../harness.ts';
import { percentiles } from '../load.ts';
import type { FanoutCommand, FanoutReport } from './fanout-client.ts';

/** Client processes the subscribers are spread over (the machine has 2 cores). */
const CLIENT_PROCESSES = 4;
/** New connections per second while ramping up, over all client processes. */
const RAMP_PER_SECOND = 500;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function nextReport<T extends FanoutReport['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<FanoutReport, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`fanout client: no ${type} report`)),
      timeoutMs,
    );
    const onMessage = (report: FanoutReport) => {
      if (report.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(report as Extract<FanoutReport, { type: T }>);
    };
    child.on('message', onMessage);
  });
}

const CREATE = 'mutation($i: CreateBookingInput!) { createBooking(input: $i) { id } }';
const CANCEL = 'mutation($id: ID!) { cancelBooking(id: $id) { status } }';

async function customer(url: string, tag: string): Promise<string> {
  const { register } = await graphql<{ register: { token: string } }>(
    url,
    'mutation($i: RegisterInput!) { register(input: $i) { token } }',
    {
      i: {
        email: `bench.fanout.${tag}.${Date.now()}.${Math.random().toString(36).slice(2, 7)}@example.com`,
        password: 'bench password 1',
        name: 'Bench',
      },
    },
  );
  return register.token;
}

/** A flight of the bench's own a month out, so nothing else changes its seats. */
async function benchFlight(url: string): Promise<{ id: string; seats: string[] }> {
  const config = loadConfig();
  const { login } = await graphql<{ login: { token: string } }>(
    url,
    'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
    { e: config.agent.email, p: config.agent.password },
  );
  const departure = new Date(Date.now() + 30 * 86_400_000);
  departure.setUTCHours(6, Math.floor(Math.random() * 12) * 5, 0, 0);
  const { scheduleFlight } = await graphql<{
    scheduleFlight: { id: string; seats: { number: string; status: string }[] };
  }>(
    url,
    'mutation($i: ScheduleFlightInput!) { scheduleFlight(input: $i) { id seats(cabin: ECONOMY) { number status } } }',
    {
      i: {
        number: `AS${1000 + Math.floor(Math.random() * 8999)}`,
        origin: 'JFK',
        destination: 'BOS',
        departureTime: departure.toISOString(),
        aircraft: 'A320',
      },
    },
    login.token,
  );
  return {
    id: scheduleFlight.id,
    seats: scheduleFlight.seats.filter((s) => s.status === 'AVAILABLE').map((s) => s.number),
  };
}

async function post(url: string, query: string, variables: Record<string, unknown>, token: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, { id: string }>; errors?: unknown[] };
}

/** One run: `subscribers` watchers of one seat map while seats are held and released. */
async function runFanout(settings: BenchSettings, subscribers: number) {
  const url = settings.gatewayUrl;
  const flight = await benchFlight(url);
  const tokens = await Promise.all(Array.from({ length: 8 }, (_, i) => customer(url, `f${i}`)));
  const gatewayPid = pidListeningOn(Number(new URL(url).port || 80));
  const rssBefore = rssMb(gatewayPid);
  const samples: { at: number; mb: number }[] = [];
  const sampler = setInterval(() => samples.push({ at: Date.now(), mb: rssMb(gatewayPid) }), 250);

  const processes = Math.min(CLIENT_PROCESSES, Math.ceil(subscribers / 250));
  const children = Array.from({ length: processes }, () =>
    fork(new URL('./fanout-client.ts', import.meta.url), {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const wsUrl = url.replace(/^http/, 'ws');
  const rampStarted = Date.now();
  const ready = await Promise.all(
    children.map((child, i) => {
      const count = Math.floor(subscribers / processes) + (i < subscribers % processes ? 1 : 0);
      const started = nextReport(child, 'ready', 300_000);
      child.send({
        type: 'start',
        url: wsUrl,
        flightId: flight.id,
        count,
        perSecond: RAMP_PER_SECOND / processes,
      } satisfies FanoutCommand);
      return started;
    }),
  );
  const rampSeconds = (Date.now() - rampStarted) / 1000;
  const subscribed = ready.reduce((n, r) => n + r.subscribed, 0);
  const rssAfterRamp = rssMb(gatewayPid);

  // Steady load: `rate` holds per second, each released 100 ms later; one seat per hold.
  const rate = Number(process.env.BENCH_FANOUT_RATE ?? 5);
  const sent = new Map<string, number>();
  const failures: string[] = [];
  const operations: Promise<void>[] = [];
  const measureStarted = Date.now();
  const holds = Math.min(flight.seats.length, Math.round(rate * settings.durationSeconds));
  for (let i = 0; i < holds; i++) {
    const seat = flight.seats[i]!;
    const token = tokens[i % tokens.length]!;
    operations.push(
      (async () => {
        const created = await post(
          url,
          CREATE,
          {
            i: {
              flightId: flight.id,
              passengers: [
                { givenName: 'Bench', familyName: 'Fan', dateOfBirth: '1990-01-01', seat },
              ],
            },
          },
          token,
        );
        const id = created.data?.createBooking?.id;
        if (!id) return void failures.push(JSON.stringify(created.errors));
        sent.set(`${seat}:HELD`, Date.now());
        await new Promise((r) => setTimeout(r, 100));
        const cancelled = await post(url, CANCEL, { id }, token);
        if (cancelled.errors) return void failures.push(JSON.stringify(cancelled.errors));
        sent.set(`${seat}:AVAILABLE`, Date.now());
      })(),
    );
    await new Promise((r) => setTimeout(r, 1000 / rate));
  }
  await Promise.all(operations);
  const measureSeconds = (Date.now() - measureStarted) / 1000;
  // Stragglers: let the last events reach every subscriber.
  await new Promise((r) => setTimeout(r, 2_000));
  clearInterval(sampler);

  const reports = await Promise.all(
    children.map((child) => {
      const report = nextReport(child, 'events', 60_000);
      child.send({ type: 'collect' } satisfies FanoutCommand);
      return report;
    }),
  );
  for (const child of children) child.send({ type: 'stop' } satisfies FanoutCommand);

  const latencies: number[] = [];
  let delivered = 0;
  for (const report of reports)
    for (const [key, times] of Object.entries(report.arrivals)) {
      const at = sent.get(key);
      if (at === undefined) continue;
      delivered += times.length;
      for (const t of times) latencies.push(t - at);
    }
  const steady = samples.filter((s) => s.at >= measureStarted + (measureSeconds * 1000) / 2);
  const { p50Ms, p99Ms } = percentiles(latencies);
  return {
    subscribers,
    subscribed,
    clientProcesses: processes,
    rampSeconds: +rampSeconds.toFixed(1),
    seatChanges: sent.size,
    expectedDeliveries: sent.size * subscribed,
    delivered,
    failedOperations: failures.length,
    failureSamples: failures.slice(0, 3),
    // Negative latencies: the event reached the subscriber before the HTTP response reached us.
    eventsBeforeResponse: latencies.filter((l) => l < 0).length,
    eventLatencyMs: {
      p50: p50Ms,
      p99: p99Ms,
      max: latencies.reduce((a, b) => Math.max(a, b), -Infinity),
    },
    eventsDeliveredPerSecond: Math.round(delivered / measureSeconds),
    gatewayRssMb: {
      pid: gatewayPid ?? null,
      before: rssBefore,
      afterRamp: rssAfterRamp,
      peak: samples.reduce((a, s) => Math.max(a, s.mb), 0),
      steady: median(steady.map((s) => s.mb)),
    },
    loadAverage1m: os.loadavg()[0]?.toFixed(2),
  };
}

/**
 * Fan-out: BENCH_SUBSCRIBERS (default 1000,5000) WebSocket subscribers of one flight's seat map,
 * spread over client processes and ramped, while seats are held and released at
 * BENCH_FANOUT_RATE holds per second for the run's duration. Latency runs from the hold's (or
 * release's) HTTP response to each subscriber's event; the gateway's RSS comes from /proc.
 */
export const fanoutScenario: Scenario = {
  name: 'fanout',
  description: 'seatMapChanged to many subscribers while seats are held and released',
  async run(settings) {
    const counts = (process.env.BENCH_SUBSCRIBERS ?? '1000,5000').split(',').map(Number);
    const results: Record<string, unknown> = {};
    for (const n of counts) results[`${n} subscribers`] = await runFanout(settings, n);
    return results;
  },
};
