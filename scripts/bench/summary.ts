// The table of issue #14 from one run's results: each row its measured figures, the ratio the
// issue reads them as, the target and whether this run met it (printed, never asserted), then
// the scaling curves behind the booking-path rows.

import { describeCpu } from './cpu.ts';

/** One row of the summary. */
export interface SummaryRow {
  measure: string;
  measured: string;
  ratio: number | null;
  target: string;
  met: boolean | null;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const rps = (s: Json | undefined) => `${s?.requestsPerSecond ?? '?'} req/s`;
const failed = (r: Json | undefined) =>
  r?.error ? `FAILED: ${String(r.error).slice(0, 60)}` : 'not run';

/** The rows, from whichever of gateway, pgbench, scaling and schedule ran. */
export function summaryRows(results: Record<string, unknown>): SummaryRow[] {
  const g = results.gateway as Json | undefined;
  const pg = results.pgbench as Json | undefined;
  const sc = results.scaling as Json | undefined;
  const sd = results.schedule as Json | undefined;
  if (!g && !sc && !sd) return [];
  const rows: SummaryRow[] = [];
  const row = (
    measure: string,
    measured: string,
    ratio: number | null,
    target: string,
    met: boolean | null,
  ) => rows.push({ measure, measured, ratio, target, met });
  const ok = (r: Json | undefined) => r && !r.error;

  if (ok(g)) {
    const s = g!.search;
    const m = g!.me;
    row(
      `searchFlights + full seat map, ${g!.settings.connections} conn: our gateway / Hive Gateway ${g!.hiveVersion}`,
      `${rps(s.ours)} (p50 ${s.ours.p50Ms} p99 ${s.ours.p99Ms} ms) vs ${rps(s.hive)} (p50 ${s.hive.p50Ms} p99 ${s.hive.p99Ms} ms)`,
      s.oursOverHive,
      '>= 1.5',
      s.oursOverHive >= 1.5,
    );
    row(
      'me { bookings { ... flight payment } }, authenticated: ours / Hive Gateway',
      `${rps(m.ours)} (p50 ${m.ours.p50Ms} p99 ${m.ours.p99Ms} ms) vs ${rps(m.hive)} (p50 ${m.hive.p50Ms} p99 ${m.hive.p99Ms} ms)`,
      m.oursOverHive,
      '>= 1.5',
      m.oursOverHive >= 1.5,
    );
    row(
      'our gateway / flights subgraph directly, same search',
      `${rps(s.ours)} vs ${rps(s.direct)} (p50 ${s.direct.p50Ms} p99 ${s.direct.p99Ms} ms)`,
      s.oursOverDirect,
      '>= 0.9',
      s.oursOverDirect >= 0.9,
    );
  } else {
    row('gateway / Hive Gateway, gateway / direct', failed(g), null, '', null);
  }

  const tps = sc?.pgbenchTps ?? pg?.tps;
  if (ok(sc)) {
    const p = sc!.peak;
    row(
      'seat holds/s through the gateway (createBooking, spread) / pgbench TPC-B tps',
      `${p.holdsPerSecond}/s (best, at ${p.holdsAtCustomers} customers) vs ${tps ?? '?'} tps`,
      p.holdsOverPgbench,
      '>= 0.25',
      p.holdsOverPgbench === null ? null : p.holdsOverPgbench >= 0.25,
    );
    row(
      `confirmed bookings/s end to end (open loop, ${sc!.confirmationsOpenLoop.customers} customers) / pgbench tps`,
      `${p.confirmedPerSecond}/s (offered ${p.confirmedAtOfferedRate}/s) vs ${tps ?? '?'} tps`,
      p.confirmedOverPgbench,
      '>= 0.10',
      p.confirmedOverPgbench === null ? null : p.confirmedOverPgbench >= 0.1,
    );
    row(
      'payBooking -> CONFIRMED latency at that load',
      `p50 ${p.payToConfirmedAtThatRate.p50Ms} ms, p99 ${p.payToConfirmedAtThatRate.p99Ms} ms (${p.payToConfirmedAtThatRate.count} bookings)`,
      null,
      'p99 < 150 ms',
      p.payToConfirmedAtThatRate.count ? p.payToConfirmedAtThatRate.p99Ms < 150 : false,
    );
  } else {
    row('booking path / pgbench', failed(sc), null, '', null);
  }

  if (ok(g)) {
    const mb = g!.memory.gatewayRssMbAfterSearch;
    row(
      'gateway RSS after the search bench',
      `${mb} MB (Hive Gateway: ${g!.memory.hiveRssMbAfterSearch} MB)`,
      null,
      '< 300 MB',
      Number.isFinite(mb) ? mb < 300 : null,
    );
  }

  // The curves behind the rows: figures only, no targets.
  if (tps !== undefined) row('pgbench TPC-B (-s 10, -c 8 -j 2) tps', `${tps} tps`, null, '', null);
  if (ok(sc)) {
    for (const h of sc!.holds)
      row(
        `  holds at ${h.customers} concurrent customers`,
        `${h.holdsPerSecond}/s, p50 ${h.p50Ms} p99 ${h.p99Ms} ms${h.refused ? `, ${h.refused} REFUSED` : ''}${otherOutcomes(h.outcomes, ['HELD'])}`,
        h.holdsOverPgbench,
        '',
        null,
      );
    for (const h of sc!.holds)
      row(`    CPU per hold at ${h.customers}`, describeCpu(h.cpuMsPerHold), null, '', null);
    for (const c of sc!.confirmationsOpenLoop.steps)
      row(
        `  confirmations, open loop at ${c.offeredPerSecond}/s offered`,
        `${c.confirmedPerSecond}/s, pay->CONFIRMED p50 ${c.payToConfirmed.p50Ms} p99 ${c.payToConfirmed.p99Ms} ms, ${c.peakBookingsUnderWay} under way at peak${c.refused ? `, ${c.refused} REFUSED` : ''}${otherOutcomes(c.outcomes, ['CONFIRMED'])}`,
        c.confirmedOverPgbench,
        '',
        null,
      );
    for (const c of sc!.confirmationsOpenLoop.steps)
      row(
        `    CPU per confirmed booking at ${c.offeredPerSecond}/s`,
        describeCpu(c.cpuMsPerConfirmed),
        null,
        '',
        null,
      );
    if (sc!.warning) row('  WARNING', sc!.warning, null, '', null);
  }
  if (ok(sd)) {
    row(
      `search p99, 30 vs 365 days seeded, through the gateway (${sd!.settings.connections} conn, cold)`,
      `${sd!.gateway30.p99Ms} vs ${sd!.gateway365.p99Ms} ms (${rps(sd!.gateway30)} vs ${rps(sd!.gateway365)})`,
      sd!.p99365Over30.gateway,
      '',
      null,
    );
    row(
      'search p99, 30 vs 365 days seeded, flights directly',
      `${sd!.direct30.p99Ms} vs ${sd!.direct365.p99Ms} ms (${rps(sd!.direct30)} vs ${rps(sd!.direct365)})`,
      sd!.p99365Over30.direct,
      '',
      null,
    );
  } else if (sd) {
    row('search p99, 30 vs 365 days', failed(sd), null, '', null);
  }
  return rows;
}

function otherOutcomes(outcomes: Record<string, number>, expected: string[]): string {
  const other = Object.entries(outcomes).filter(
    ([k]) => !expected.includes(k) && !k.includes('RATE_LIMITED'),
  );
  return other.length ? `; other: ${other.map(([k, n]) => `${k} ${n}`).join(', ')}` : '';
}

/** The rows as a plain-text table, with the machine's load before and after. */
export function summaryTable(
  rows: SummaryRow[],
  machine: { before: Record<string, unknown>; after: Record<string, unknown> },
): string {
  const load = (m: Record<string, unknown>) =>
    `load ${m.loadAverage1m}/${m.loadAverage5m}/${m.loadAverage15m} (1/5/15 min), ${m.availableMemoryMb} MB available of ${m.totalMemoryMb}, ${m.cpus} CPUs, at ${m.at}`;
  const cells = rows.map((r) => [
    r.measure,
    r.measured,
    r.ratio === null ? '' : String(r.ratio),
    r.target,
    r.met === null ? '' : r.met ? 'met' : 'NOT met',
  ]);
  const header = ['measure', 'measured', 'ratio', 'target', 'target met?'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    `machine before: ${load(machine.before)}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
    `machine after:  ${load(machine.after)}`,
  ].join('\n');
}
