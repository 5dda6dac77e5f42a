/** How a message's delivery is retried. */
export interface RetrySchedule {
  /** Attempts before a message is dead-lettered (the first one included). */
  maxAttempts: number;
  /** Wait before the second attempt; each later one waits `factor` times longer. */
  baseDelayMs: number;
  factor: number;
  /** Longest wait between two attempts. */
  maxDelayMs: number;
}

/** Six attempts over about 25 minutes: 5 s, 20 s, 80 s, 5 min, 20 min (before jitter). */
export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = {
  maxAttempts: 6,
  baseDelayMs: 5_000,
  factor: 4,
  maxDelayMs: 20 * 60_000,
};

/**
 * The wait after failed attempt `attempt` (1-based): exponential, capped, with "equal jitter"
 * (half fixed, half random) so that messages that failed together (a provider outage) do not
 * all come back at the same instant, yet none comes back much sooner than planned.
 */
export function retryDelayMs(
  attempt: number,
  schedule: RetrySchedule,
  random: () => number = Math.random,
): number {
  const exponential = schedule.baseDelayMs * schedule.factor ** Math.max(0, attempt - 1);
  const capped = Math.min(schedule.maxDelayMs, exponential);
  return Math.round(capped / 2 + (random() * capped) / 2);
}

/** Whether a message that has just failed its attempt number `attemptsSinceReplay` is out of retries. */
export function retriesExhausted(attemptsSinceReplay: number, schedule: RetrySchedule): boolean {
  return attemptsSinceReplay >= schedule.maxAttempts;
}
