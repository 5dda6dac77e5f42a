// One chaos scenario: steady load, one fault at a random moment, then a deadline for the platform
// to settle with every invariant holding. What happened is kept for the printed table.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChaosStack } from './chaos-stack.ts';
import {
  bookingStatuses,
  checkInvariants,
  holds,
  TERMINAL,
  type InvariantReport,
} from './invariants.ts';
import {
  agentToken,
  GatewayClient,
  registerCustomers,
  runLoad,
  scheduleFlight,
  type LoadResult,
} from './load.ts';

/** A fault: injects itself and resolves once it is over (process back, network healed). */
export interface Fault {
  name: string;
  /** What was done, for the table (e.g. "SIGKILL bookings, restarted after 0.8 s"). */
  inject(stack: ChaosStack): Promise<string>;
}

/** Timings and sizes of a scenario. */
export interface ScenarioOptions {
  customers: number;
  /** The fault starts at a random moment in this window after the load started (ms). */
  faultWindowMs: [number, number];
  /** The load keeps going this long after the fault is over. */
  loadAfterFaultMs: number;
  /** How long the platform has to settle once the load stopped. */
  settleDeadlineMs: number;
}

/** What the table shows of one scenario. */
export interface ScenarioResult {
  name: string;
  fault: string;
  load: LoadResult;
  /** Bookings of this scenario by final status. */
  finalStates: Record<string, number>;
  invariants: InvariantReport;
  /** From the end of the fault to the first booking created after it (undefined: none). */
  recoveredMs: number | undefined;
  /** From the end of the load until every invariant held (undefined: it never did). */
  settledMs: number | undefined;
  /** What settling waited on, every few seconds: the invariants still violated and the first violation. */
  waitedOn: string[];
}

export const DEFAULT_SCENARIO: ScenarioOptions = {
  customers: 6,
  faultWindowMs: [1_500, 4_000],
  // Longer than a circuit breaker stays open (5 s for bookings -> flights): recovery is seen.
  loadAfterFaultMs: 7_000,
  // Above the slowest legitimate wait: a payment request out is trusted for 60 s.
  settleDeadlineMs: 90_000,
};

/** A whole number of milliseconds in [min, max). */
export const between = (min: number, max: number): number =>
  Math.floor(min + Math.random() * (max - min));

/** Runs one scenario on a running stack; never throws for a violated invariant (the caller asserts). */
export async function runScenario(
  stack: ChaosStack,
  fault: Fault,
  options: ScenarioOptions = DEFAULT_SCENARIO,
): Promise<ScenarioResult> {
  const client = new GatewayClient(stack.gatewayUrl);
  const agent = await agentToken(client, stack.config.agent.email, stack.config.agent.password);
  const customers = await registerCustomers(
    client,
    options.customers,
    fault.name.replace(/\W+/g, ''),
  );
  const flights = [await scheduleFlight(client, agent), await scheduleFlight(client, agent)];

  let endLoad!: () => void;
  const loadStopped = new Promise<void>((resolve) => (endLoad = resolve));
  const faultAt = between(...options.faultWindowMs);
  const loading = runLoad(
    { client, customers, flights, agent, cancelFlightAfterMs: faultAt + between(-1_000, 3_000) },
    loadStopped,
  );
  let description = '';
  let faultEnded = 0;
  try {
    await sleep(faultAt);
    description = await fault.inject(stack);
    faultEnded = Date.now();
    await sleep(options.loadAfterFaultMs);
  } finally {
    endLoad();
  }
  const load = await loading;
  const loadEnded = Date.now();

  // Settling: poll every invariant until all hold or the deadline passes.
  const waitedOn: string[] = [];
  let lastNote = 0;
  let invariants = await checkInvariants(stack.reader, load);
  while (!holds(invariants) && Date.now() - loadEnded < options.settleDeadlineMs) {
    if (Date.now() - lastNote >= 10_000) {
      lastNote = Date.now();
      waitedOn.push(`${((lastNote - loadEnded) / 1000).toFixed(0)} s: ${pending(invariants)}`);
    }
    await sleep(1_000);
    invariants = await checkInvariants(stack.reader, load);
  }
  const settledMs = holds(invariants) ? Date.now() - loadEnded : undefined;

  const statuses = await bookingStatuses(stack.reader);
  const finalStates: Record<string, number> = Object.fromEntries(
    [...TERMINAL, 'HELD', 'PAYMENT_PENDING'].map((s) => [s, 0]),
  );
  for (const id of load.bookings.keys()) {
    const status = statuses.get(id) ?? 'MISSING';
    finalStates[status] = (finalStates[status] ?? 0) + 1;
  }
  const firstAfter = load.createdAt.find((t) => t >= faultEnded);
  return {
    name: fault.name,
    fault: description,
    load,
    finalStates,
    invariants,
    recoveredMs: firstAfter === undefined ? undefined : firstAfter - faultEnded,
    settledMs,
    waitedOn,
  };
}

/** The violated invariants with their first violation, in one line. */
function pending(report: InvariantReport): string {
  return Object.entries(report)
    .filter(([, v]) => v.length)
    .map(([name, v]) => `${name} (${v.length}; ${v[0]})`)
    .join('; ');
}
