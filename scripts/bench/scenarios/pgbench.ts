import { execFileSync } from 'node:child_process';
import { loadConfig } from '../../../shared/src/config.ts';
import type { Scenario } from '../harness.ts';

// PostgreSQL's own ceiling on this machine, the yardstick of the booking path: pgbench's
// standard TPC-B-like script (`pgbench -c 8 -j 2`) on a scratch database created and dropped by
// the bench, measured once per run and shared by every scenario that reads figures against it.

/** What one pgbench measurement found. */
export interface PgbenchResult {
  /** Transactions per second of TPC-B-like transactions (without the initial connection time). */
  tps: number;
  clients: number;
  scale: number;
  seconds: number;
  latencyAverageMs: number;
  failedTransactions: number;
}

const SCALE = 10;
const CLIENTS = 8;
let measured: Promise<PgbenchResult> | undefined;

const run = (args: string[]) =>
  execFileSync('pgbench', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Fails with a clear message when pgbench or psql are not installed. */
function requireTool(tool: string): void {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      `${tool} is not installed (PostgreSQL client tools, e.g. apt-get install postgresql-contrib): the booking-path figures are read against pgbench's TPC-B tps`,
    );
  }
}

async function measure(seconds: number): Promise<PgbenchResult> {
  requireTool('pgbench');
  requireTool('psql');
  const base = loadConfig().postgresUrl;
  const db = `bench_pgbench_${process.pid}`;
  const psql = (sql: string) =>
    execFileSync('psql', [`${base}/postgres`, '-qc', sql], { stdio: ['ignore', 'pipe', 'pipe'] });
  psql(`DROP DATABASE IF EXISTS ${db}`);
  psql(`CREATE DATABASE ${db}`);
  try {
    run(['-i', '-q', '-s', String(SCALE), `${base}/${db}`]);
    const out = run(['-c', String(CLIENTS), '-j', '2', '-T', String(seconds), `${base}/${db}`]);
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? NaN);
    if (!Number.isFinite(tps)) throw new Error(`pgbench printed no tps:\n${out}`);
    return {
      tps: Math.round(tps),
      clients: CLIENTS,
      scale: SCALE,
      seconds,
      latencyAverageMs: Number(/latency average = ([\d.]+) ms/.exec(out)?.[1] ?? NaN),
      failedTransactions: Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0),
    };
  } catch (err) {
    const stderr = (err as { stderr?: Buffer | string }).stderr?.toString().trim();
    throw new Error(`pgbench failed: ${stderr || (err as Error).message}`, { cause: err });
  } finally {
    try {
      psql(`DROP DATABASE IF EXISTS ${db}`);
    } catch {
      // nothing left to drop
    }
  }
}

/**
 * pgbench TPC-B tps on a scratch database (`pgbench -i -s 10`, then `pgbench -c 8 -j 2 -T
 * seconds`), measured the first time it is asked for in a run and shared afterwards.
 */
export function pgbenchTpcb(seconds: number): Promise<PgbenchResult> {
  measured ??= measure(seconds);
  return measured;
}

/** `figure` as a fraction of pgbench's tps (4 decimals). */
export const ofPgbench = (figure: number, pg: PgbenchResult | undefined): number | null =>
  pg ? +(figure / Math.max(1, pg.tps)).toFixed(4) : null;

export const pgbenchScenario: Scenario = {
  name: 'pgbench',
  description: `PostgreSQL's ceiling: pgbench TPC-B, -s ${SCALE}, -c ${CLIENTS} -j 2, on a scratch database`,
  standalone: true,
  async run(settings) {
    return { ...(await pgbenchTpcb(settings.durationSeconds)) };
  },
};
