// `npm run bench [scenario...]`: measures a RUNNING stack (start it with `npm start` first) and
// prints one JSON document. It starts nothing itself, so what it measures is what users get.
import { parseArgs } from 'node:util';
import { loadConfig } from '../../shared/src/config.ts';
import { machine, type BenchSettings, type Scenario } from './harness.ts';
import { meScenario } from './scenarios/me.ts';
import { bookingsScenario } from './scenarios/bookings.ts';
import { searchScenario } from './scenarios/search.ts';
import { fanoutScenario } from './scenarios/fanout.ts';
import { notificationsScenario } from './scenarios/notifications.ts';
import { tracingScenario } from './scenarios/tracing.ts';

const scenarios: Scenario[] = [
  meScenario,
  bookingsScenario,
  searchScenario,
  fanoutScenario,
  notificationsScenario,
  tracingScenario,
];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '10' },
    connections: { type: 'string', default: process.env.BENCH_CONNECTIONS ?? '10' },
  },
});
const config = loadConfig();
const ports: Record<string, number> = config.ports;
const settings: BenchSettings = {
  gatewayUrl: process.env.GATEWAY_URL ?? `http://127.0.0.1:${config.ports.gateway}/graphql`,
  subgraphUrl: (name) =>
    process.env[`${name.toUpperCase()}_URL`] ?? `http://127.0.0.1:${ports[name]}/graphql`,
  serviceSecret: config.serviceSecret,
  durationSeconds: Number(values.duration),
  connections: Number(values.connections),
};

// Scenarios that start their own stacks run only when named.
const selected = positionals.length
  ? scenarios.filter((s) => positionals.includes(s.name))
  : scenarios.filter((s) => !s.standalone);
const needsStack = selected.some((s) => !s.standalone);
const health = needsStack
  ? await fetch(settings.gatewayUrl.replace(/\/graphql$/, '/health/ready')).catch(() => null)
  : { ok: true };
if (!health?.ok) {
  console.error(`bench: no ready gateway at ${settings.gatewayUrl}; run \`npm start\` first`);
  process.exit(1);
}
const machineBefore = machine();
const results: Record<string, unknown> = {};
for (const scenario of selected) {
  process.stderr.write(`bench: ${scenario.name}: ${scenario.description}\n`);
  results[scenario.name] = await scenario.run(settings);
}
console.log(
  JSON.stringify(
    {
      at: new Date().toISOString(),
      settings: { durationSeconds: settings.durationSeconds, connections: settings.connections },
      machineBefore,
      results,
      machineAfter: machine(),
    },
    null,
    2,
  ),
);
