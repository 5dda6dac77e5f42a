// The frame of a chaos test file: one stack for the file (started before its scenarios, stopped and
// cleaned up after them, whatever happened), each scenario's block printed as it ends and the
// summary table at the end.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startChaosStack, type ChaosStack, type ChaosStackOptions } from './chaos-stack.ts';
import { printScenario, printSummary } from './report.ts';
import {
  DEFAULT_SCENARIO,
  runScenario,
  type Fault,
  type ScenarioOptions,
  type ScenarioResult,
} from './scenario.ts';

/** The environment every chaos stack runs with: short holds and quick retries and sweeps. */
export const CHAOS_ENV: Record<string, string> = {
  // Every booking ends within the settle deadline: an abandoned or declined hold expires soon.
  SEAT_HOLD_TTL_SECONDS: '6',
  // An outage of seconds is retried within seconds, not minutes.
  MESSAGE_RETRY_BASE_MS: '200',
  MESSAGE_RETRY_MAX_DELAY_MS: '2000',
  MESSAGE_RETRY_FOR_HOURS: '1',
  // A saga that has not moved for 10 s is looked at; payments' recovery takes over a dead charge
  // after 15 s (longer than a charge with its retries).
  SAGA_STUCK_AFTER_SECONDS: '10',
  SAGA_RECONCILE_INTERVAL_SECONDS: '2',
  PAYMENT_CHARGE_LEASE_SECONDS: '15',
  PAYMENT_RECOVERY_INTERVAL_SECONDS: '2',
};

/** What a chaos test file gets. */
export interface ChaosSuite {
  stack: () => ChaosStack;
  /** Runs a scenario, prints its block and asserts every invariant held and the load did work. */
  scenario: (fault: Fault, options?: Partial<ScenarioOptions>) => Promise<ScenarioResult>;
}

/** Starts the file's stack in beforeAll and stops it in afterAll (printing the summary). */
export function useChaosStack(title: string, options: Omit<ChaosStackOptions, 'env'>): ChaosSuite {
  let stack: ChaosStack | undefined;
  // Scenarios that started and did not pass (an assertion or an error ended them).
  let failing = 0;
  const results: ScenarioResult[] = [];
  const reportFile = () => join(stack!.logDir, 'chaos-report.txt');
  beforeAll(async () => {
    stack = await startChaosStack({ ...options, env: CHAOS_ENV });
    process.stdout.write(`\n${title}: logs in ${stack.logDir}\n`);
  }, 180_000);
  afterAll(async () => {
    if (!stack) return;
    try {
      if (results.length) printSummary(title, results, reportFile());
    } finally {
      await stack.stop();
    }
    // The logs are for a failure; a green run leaves nothing behind.
    if (failing) process.stdout.write(`${title}: logs kept in ${stack.logDir}\n`);
    else rmSync(stack.logDir, { recursive: true, force: true });
  }, 120_000);
  return {
    stack: () => stack!,
    async scenario(fault, overrides = {}) {
      failing++;
      const result = await runScenario(stack!, fault, { ...DEFAULT_SCENARIO, ...overrides });
      results.push(result);
      printScenario(result, reportFile());
      expect(result.invariants).toEqual({
        terminal: [],
        seats: [],
        money: [],
        deadLetters: [],
        outbox: [],
        acknowledged: [],
      });
      // A scenario that did nothing proves nothing: bookings were made, made again after the
      // fault, and some went through the whole saga.
      expect(result.load.bookings.size).toBeGreaterThan(0);
      expect(result.recoveredMs).toBeDefined();
      expect(result.finalStates.CONFIRMED).toBeGreaterThan(0);
      failing--;
      return result;
    },
  };
}
