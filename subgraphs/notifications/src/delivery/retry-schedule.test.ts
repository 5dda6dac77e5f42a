import { DEFAULT_RETRY_SCHEDULE, retriesExhausted, retryDelayMs } from './retry-schedule.ts';

describe('retry schedule', () => {
  const schedule = { maxAttempts: 4, baseDelayMs: 1_000, factor: 3, maxDelayMs: 5_000 };

  test('waits grow exponentially up to the cap, each between half and all of its step', () => {
    expect(retryDelayMs(1, schedule, () => 0)).toBe(500);
    expect(retryDelayMs(1, schedule, () => 1)).toBe(1_000);
    expect(retryDelayMs(2, schedule, () => 1)).toBe(3_000);
    expect(retryDelayMs(3, schedule, () => 0)).toBe(2_500);
    expect(retryDelayMs(3, schedule, () => 1)).toBe(5_000);
    expect(retryDelayMs(9, schedule, () => 0.999)).toBeLessThanOrEqual(5_000);
  });

  test('jitter spreads messages that failed together', () => {
    const waits = new Set(Array.from({ length: 50 }, () => retryDelayMs(2, schedule)));
    expect(waits.size).toBeGreaterThan(10);
  });

  test('a message is dead-lettered after its last attempt, counted since its last replay', () => {
    expect(retriesExhausted(3, schedule)).toBe(false);
    expect(retriesExhausted(4, schedule)).toBe(true);
    expect(DEFAULT_RETRY_SCHEDULE.maxAttempts).toBeGreaterThan(1);
  });
});
