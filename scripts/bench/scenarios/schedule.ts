import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import { loadConfig, SERVICES } from '../../../shared/src/config.ts';
import {
  deleteDeclaredQueues,
  deleteExchanges,
  deleteKeysWithPrefix,
  dropDatabase,
} from '../../../shared/src/testing/resources.ts';
import { composeSupergraph, readSupergraphConfig } from '../../../gateway/src/compose.ts';
import {
  asGateway,
  freePort,
  ratio,
  ROUND_SECONDS,
  Series,
  timedRound,
  type BenchSettings,
  type Scenario,
} from '../harness.ts';
import { SEARCH, searchDays } from './search.ts';

// Search with a month and with a year of schedule: the running stack's flights (30 days, what
// `npm start` seeds) against a flights subgraph of the bench's own seeded with 365 days
// (FLIGHTS_SEED_DAYS=365) and a gateway of ours in front of it, both started here as child
// processes on free ports with their own database, Redis and AMQP prefixes (`bench365`). The
// other subgraphs of that gateway are the running stack's. Cold searches (every route and day
// in turn) through each gateway and directly, in interleaved short rounds.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The year's flights database is kept between runs (seeding takes a while); this drops it. */
const DROP = process.env.BENCH_DROP_365 === '1';
const PREFIX = { DB_PREFIX: 'bench365_', REDIS_PREFIX: 'bench365:', AMQP_PREFIX: 'bench365.' };

interface Child {
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

function start(name: string, entry: string, env: Record<string, string>): Child {
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', LOG_PRETTY: '0', ...PREFIX, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8192));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    output: () => `${name}: ${output}`,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

async function ready(child: Child, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.process.exitCode !== null)
      throw new Error(`exited (${child.process.exitCode}) before ready:\n${child.output()}`);
    const res = await fetch(url).catch(() => null);
    if (res?.ok) return;
    if (Date.now() > deadline) throw new Error(`not ready in time:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Every search day of the list in turn, from `offset` on, one per request. */
function rotating(days: ReturnType<typeof searchDays>, offset: number) {
  const bodies = days.map((i) => JSON.stringify({ query: SEARCH, variables: { i } }));
  let next = offset;
  return () => bodies[next++ % bodies.length]!;
}

export const scheduleScenario: Scenario = {
  name: 'schedule',
  description:
    'cold searchFlights with seat maps on 30 vs 365 days of schedule (a flights + gateway of its own for 365), through the gateway and directly',
  async run(settings: BenchSettings) {
    const config = loadConfig({ ...process.env, ...PREFIX });
    const flightsPort = await freePort();
    const gatewayPort = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'bench-365-'));
    const children: Child[] = [];
    const started = performance.now();
    try {
      process.stderr.write(
        `bench: schedule: starting flights with 365 days (${DROP ? 'fresh database' : 'database kept between runs'})\n`,
      );
      if (DROP) await dropDatabase(config, `${PREFIX.DB_PREFIX}flights`);
      const flights = start('flights (365 days)', 'subgraphs/flights/src/main.ts', {
        FLIGHTS_PORT: String(flightsPort),
        FLIGHTS_SEED_DAYS: '365',
      });
      children.push(flights);
      await ready(flights, `http://127.0.0.1:${flightsPort}/health/ready`, 600_000);
      const flightsUpSeconds = +((performance.now() - started) / 1000).toFixed(1);
      const supergraphFile = join(dir, 'supergraph.graphql');
      const urls = Object.fromEntries(SERVICES.map((s) => [s, settings.subgraphUrl(s)]));
      urls.flights = `http://127.0.0.1:${flightsPort}/graphql`;
      writeFileSync(
        supergraphFile,
        composeSupergraph(readSupergraphConfig(`${ROOT}supergraph.yaml`, urls)),
      );
      const gateway = start('gateway (365 days)', 'gateway/src/main.ts', {
        GATEWAY_PORT: String(gatewayPort),
        SUPERGRAPH_FILE: supergraphFile,
      });
      children.push(gateway);
      await ready(gateway, `http://127.0.0.1:${gatewayPort}/health/ready`, 60_000);

      const targets = {
        gateway30: { url: settings.gatewayUrl, days: searchDays(2, 28), offset: 0 },
        gateway365: {
          url: `http://127.0.0.1:${gatewayPort}/graphql`,
          days: searchDays(2, 363),
          offset: 0,
        },
        // Direct series start half-way through the list: not what the gateway just cached.
        direct30: { url: settings.subgraphUrl('flights'), days: searchDays(2, 28), offset: 0.5 },
        direct365: { url: urls.flights, days: searchDays(2, 363), offset: 0.5 },
      };
      const bodies = Object.fromEntries(
        Object.entries(targets).map(([k, t]) => [
          k,
          rotating(t.days, Math.floor(t.offset * t.days.length)),
        ]),
      ) as Record<keyof typeof targets, () => string>;
      const series = {
        gateway30: new Series('gateway, 30 days seeded'),
        gateway365: new Series('gateway, 365 days seeded'),
        direct30: new Series('flights directly, 30 days seeded'),
        direct365: new Series('flights directly, 365 days seeded'),
      };
      const headers = async (k: keyof typeof targets) =>
        k.startsWith('direct') ? await asGateway(settings, 'flights') : {};
      const keys = Object.keys(targets) as (keyof typeof targets)[];
      for (const k of keys)
        await timedRound(targets[k].url, bodies[k], {
          seconds: 1,
          connections: settings.connections,
          headers: await headers(k),
        });
      const rounds = Math.max(2, Math.round(settings.durationSeconds / ROUND_SECONDS));
      for (let r = 0; r < rounds; r++) {
        process.stderr.write(`bench: schedule: round ${r + 1}/${rounds}\n`);
        for (const k of keys)
          await timedRound(targets[k].url, bodies[k], {
            seconds: ROUND_SECONDS,
            connections: settings.connections,
            headers: await headers(k),
            series: series[k],
          });
      }
      const out = Object.fromEntries(keys.map((k) => [k, series[k].summary()])) as Record<
        keyof typeof targets,
        ReturnType<Series['summary']>
      >;
      return {
        settings: { connections: settings.connections, roundSeconds: ROUND_SECONDS, rounds },
        flights365StartSeconds: flightsUpSeconds,
        ...out,
        p99365Over30: {
          gateway: ratio(out.gateway365.p99Ms, out.gateway30.p99Ms),
          direct: ratio(out.direct365.p99Ms, out.direct30.p99Ms),
        },
      };
    } finally {
      for (const c of children.reverse()) await c.stop();
      rmSync(dir, { recursive: true, force: true });
      await deleteKeysWithPrefix(config, PREFIX.REDIS_PREFIX).catch(() => undefined);
      const connection = await amqp.connect(config.amqpUrl).catch(() => undefined);
      if (connection)
        try {
          const channel = await connection.createChannel();
          await deleteDeclaredQueues(channel, PREFIX.AMQP_PREFIX);
          await deleteExchanges(channel, PREFIX.AMQP_PREFIX);
        } finally {
          await connection.close();
        }
    }
  },
};
