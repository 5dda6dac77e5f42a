import { readdirSync, readFileSync } from 'node:fs';

// CPU time by part of the stack, read from /proc while a step runs: what one hold or one
// confirmed booking costs each process, and so where a saturated booking path spends its cores.
// Processes are told apart by their command line (`npm start` runs one per service).

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux this runs on

function partOf(cmdline: string, comm: string): string | undefined {
  const service = /(?:subgraphs\/(\w+)|(gateway)|(payment-provider))\/src\/main\.ts/.exec(cmdline);
  if (service) return service[1] ?? service[2] ?? service[3];
  if (comm === 'postgres') return 'postgresql';
  if (comm === 'beam.smp' || comm.startsWith('erl_')) return 'rabbitmq';
  if (comm.startsWith('redis-server')) return 'redis';
  return undefined;
}

/** CPU ticks (user + system) of every process of the stack by PID, with its part (this bench process as `bench client`). */
function snapshot(): Map<number, { part: string; ticks: number }> {
  const processes = new Map<number, { part: string; ticks: number }>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const part =
        Number(pid) === process.pid
          ? 'bench client'
          : partOf(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '), comm);
      if (!part) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      processes.set(Number(pid), { part, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return processes;
}

/** CPU milliseconds each part of the stack spent per unit of work, largest first. */
export type CpuPerUnit = Record<string, number>;

type Snapshot = ReturnType<typeof snapshot>;

// Per process, so a PostgreSQL backend that ends mid-step (a pool closing an idle connection)
// takes only its own last ticks with it, not part of the others'.
function cpuMsByPart(before: Snapshot, after: Snapshot): Map<string, number> {
  const byPart = new Map<string, number>();
  for (const [pid, { part, ticks }] of after) {
    const spent = ticks - (before.get(pid)?.ticks ?? 0);
    byPart.set(part, (byPart.get(part) ?? 0) + (spent * 1000) / TICKS_PER_SECOND);
  }
  return byPart;
}

/** Starts measuring; `per(units)` gives each part's CPU ms per unit of work done since. */
export function cpuSampler(): { per: (units: number) => CpuPerUnit | null } {
  const before = snapshot();
  return {
    per(units) {
      if (!units) return null;
      const rows = [...cpuMsByPart(before, snapshot())]
        .filter(([, ms]) => ms > 0)
        .sort((a, b) => b[1] - a[1]);
      const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
      return Object.fromEntries([
        ['total', +(total / units).toFixed(1)],
        ...rows.map(([part, ms]) => [part, +(ms / units).toFixed(1)]),
      ]);
    },
  };
}

/**
 * Waits until the stack (this process aside) has used less than `share` of one core over a
 * `windowMs` window, or `maxMs` has passed; resolves with the milliseconds waited. A step's
 * aftermath (releases, cancellation e-mails, queues draining) then does not land on the next.
 */
export async function stackQuiet(share = 0.15, windowMs = 1_000, maxMs = 60_000): Promise<number> {
  const started = Date.now();
  let before = snapshot();
  while (Date.now() - started < maxMs) {
    await new Promise((r) => setTimeout(r, windowMs));
    const now = snapshot();
    let ms = 0;
    for (const [part, spent] of cpuMsByPart(before, now)) if (part !== 'bench client') ms += spent;
    before = now;
    if (ms / windowMs < share) break;
  }
  return Date.now() - started;
}

/** `bookings 21.3, flights 8.0, …`: the largest parts, for a one-line summary. */
export function describeCpu(cpu: CpuPerUnit | null | undefined, parts = 6): string {
  if (!cpu) return '';
  const { total, ...rest } = cpu;
  const top = Object.entries(rest)
    .slice(0, parts)
    .map(([part, ms]) => `${part} ${ms}`)
    .join(', ');
  return `${total} ms CPU each (${top})`;
}
