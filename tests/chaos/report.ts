// The chaos table: one block per scenario with what was attempted and completed, where the
// bookings ended, each invariant and the recovery times. Printed straight to stdout (not through
// jest's console, which would decorate every line) and appended to a file beside the logs.
import { appendFileSync } from 'node:fs';
import type { InvariantName } from './invariants.ts';
import type { Operation } from './load.ts';
import type { ScenarioResult } from './scenario.ts';

const OPERATIONS: Operation[] = ['create', 'pay', 'cancel', 'read', 'cancelFlight'];
const INVARIANTS: Record<InvariantName, string> = {
  terminal: 'every booking terminal',
  seats: 'seats match confirmed bookings',
  money: 'one charge per confirmed, refunds',
  deadLetters: 'dead-letter queue empty',
  outbox: 'outboxes drained',
  acknowledged: 'acknowledged answers kept',
};

const seconds = (ms: number | undefined) =>
  ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`;

/** The block of one scenario, as text. */
export function formatScenario(r: ScenarioResult): string {
  const lines = [`== ${r.name}: ${r.fault}`];
  lines.push(
    `   operations   ${'attempted'.padStart(9)} ${'completed'.padStart(9)} ${'refused'.padStart(7)} ${'failed'.padStart(6)}`,
  );
  for (const op of OPERATIONS) {
    const c = r.load.operations[op];
    if (!c.attempted) continue;
    lines.push(
      `   ${op.padEnd(12)} ${String(c.attempted).padStart(9)} ${String(c.completed).padStart(9)} ${String(c.refused).padStart(7)} ${String(c.failed).padStart(6)}`,
    );
  }
  const states = Object.entries(r.finalStates)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  lines.push(`   bookings     ${r.load.bookings.size} acknowledged: ${states || 'none'}`);
  for (const [name, label] of Object.entries(INVARIANTS) as [InvariantName, string][]) {
    const violations = r.invariants[name];
    lines.push(
      `   ${violations.length ? 'FAIL' : 'ok  '}         ${label}${violations.length ? ` (${violations.length})` : ''}`,
    );
    for (const v of violations.slice(0, 5)) lines.push(`                  - ${v}`);
  }
  lines.push(
    `   recovery     first booking ${seconds(r.recoveredMs)} after the fault; settled ${seconds(r.settledMs)} after the load`,
  );
  for (const note of r.waitedOn.slice(1)) lines.push(`   waited on    ${note}`);
  const refusals = [...r.load.refusals].map(([what, n]) => `${what} ${n}`).join(', ');
  if (refusals) lines.push(`   refusals     ${refusals}`);
  if (r.load.failures.length)
    lines.push(`   failures     e.g. ${r.load.failures.slice(0, 3).join(' | ')}`);
  return lines.join('\n');
}

/** Prints a scenario's block and appends it to `file`. */
export function printScenario(r: ScenarioResult, file: string): void {
  const text = `${formatScenario(r)}\n`;
  process.stdout.write(`\n${text}`);
  appendFileSync(file, text);
}

/** One line per scenario: the summary at the end of a suite. */
export function printSummary(title: string, results: ScenarioResult[], file: string): void {
  const rows = results.map((r) => {
    const created = r.load.operations.create;
    const failed = Object.values(r.invariants).filter((v) => v.length).length;
    return [
      r.name,
      `${created.completed}/${created.attempted}`,
      String(r.load.bookings.size),
      Object.entries(r.finalStates)
        .filter(([, n]) => n)
        .map(([s, n]) => `${s.slice(0, 4)} ${n}`)
        .join(' '),
      failed ? `${failed} FAILED` : 'all hold',
      seconds(r.recoveredMs),
      seconds(r.settledMs),
    ];
  });
  const header = [
    'scenario',
    'created',
    'bookings',
    'final states',
    'invariants',
    'recovered',
    'settled',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const text = [
    `\n${title}`,
    ...[header, ...rows].map((row) =>
      row
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    ),
  ].join('\n');
  process.stdout.write(`${text}\n`);
  appendFileSync(file, `${text}\n`);
}
