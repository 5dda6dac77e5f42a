// `npm run bench [scenario...]`: measures a RUNNING stack (start it with `npm start` first) and
// prints one JSON document (the last thing on stdout, so it can be saved) and, on stderr, a table.
// Without arguments it runs the summary of issue #14 (gateway, pgbench, scaling, schedule): every
// row of that table measured in one run, with the machine's load before and after. `all` runs
// every scenario that measures the running stack; the others run when named.
import { parseArgs } from 'node:util';
import { loadConfig } from '../../shared/src/config.ts';
import { machine, type BenchSettings, type Scenario } from './harness.ts';
import { meScenario } from './scenarios/me.ts';
import { bookingsScenario } from './scenarios/bookings.ts';
import { searchScenario } from './scenarios/search.ts';
import { fanoutScenario } from './scenarios/fanout.ts';
import { notificationsScenario } from './scenarios/notifications.ts';
import { tracingScenario } from './scenarios/tracing.ts';
import { gatewayScenario } from './scenarios/gateway.ts';
import { pgbenchScenario } from './scenarios/pgbench.ts';
import { scalingScenario, START_HINT } from './scenarios/scaling.ts';
import { scheduleScenario } from './scenarios/schedule.ts';
import { summaryRows, summaryTable } from './summary.ts';

const scenarios: Scenario[] = [
  meScenario,
  bookingsScenario,
  searchScenario,
  fanoutScenario,
  notificationsScenario,
  tracingScenario,
  gatewayScenario,
  pgbenchScenario,
  scalingScenario,
  scheduleScenario,
];
/** What `npm run bench` runs without arguments, in this order. */
const SUMMARY = ['gateway', 'pgbench', 'scaling', 'schedule'];

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

const unknown = positionals.filter((p) => p !== 'all' && !scenarios.some((s) => s.name === p));
if (unknown.length) {
  console.error(
    `bench: no scenario ${unknown.join(', ')}; scenarios: ${scenarios.map((s) => s.name).join(', ')}, all`,
  );
  process.exit(1);
}
// Scenarios that start their own stacks run only when named.
const selected = !positionals.length
  ? SUMMARY.map((name) => scenarios.find((s) => s.name === name)!)
  : positionals.includes('all')
    ? scenarios.filter((s) => !s.standalone)
    : scenarios.filter((s) => positionals.includes(s.name));
const needsStack = selected.some((s) => !s.standalone);
const health = needsStack
  ? await fetch(settings.gatewayUrl.replace(/\/graphql$/, '/health/ready')).catch(() => null)
  : { ok: true };
if (!health?.ok) {
  console.error(
    `bench: no ready gateway at ${settings.gatewayUrl}; start the stack first, for the booking path with its limits raised:\n  ${START_HINT}`,
  );
  process.exit(1);
}
const machineBefore = machine();
const results: Record<string, unknown> = {};
let failed = 0;
for (const scenario of selected) {
  process.stderr.write(`bench: ${scenario.name}: ${scenario.description}\n`);
  try {
    results[scenario.name] = await scenario.run(settings);
  } catch (err) {
    failed++;
    const message = (err as Error).message;
    process.stderr.write(`bench: ${scenario.name} FAILED: ${message}\n`);
    results[scenario.name] = { error: message };
  }
}
const machineAfter = machine();
const summary = summaryRows(results);
if (summary.length)
  process.stderr.write(
    `\n${summaryTable(summary, { before: machineBefore, after: machineAfter })}\n`,
  );
console.log(
  JSON.stringify(
    {
      at: new Date().toISOString(),
      settings: { durationSeconds: settings.durationSeconds, connections: settings.connections },
      machineBefore,
      ...(summary.length ? { summary } : {}),
      results,
      machineAfter,
    },
    null,
    2,
  ),
);
if (failed) process.exitCode = 1;
