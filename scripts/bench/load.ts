/** Latency percentiles of a series of durations, in milliseconds. */
export function percentiles(samples: number[]): { p50Ms: number; p99Ms: number; count: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length
      ? +sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1)
      : 0;
  return { p50Ms: at(0.5), p99Ms: at(0.99), count: sorted.length };
}

/**
 * Runs `work` from `concurrency` loops until `durationSeconds` pass (bounded: the loops stop by
 * themselves) and returns each call's duration with its outcome label.
 */
export async function runLoad<T extends string>(
  concurrency: number,
  durationSeconds: number,
  work: (worker: number, iteration: number) => Promise<T>,
): Promise<{
  outcomes: Record<string, number>;
  durations: Record<string, number[]>;
  elapsedSeconds: number;
}> {
  const outcomes: Record<string, number> = {};
  const durations: Record<string, number[]> = {};
  const started = performance.now();
  const deadline = started + durationSeconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const t0 = performance.now();
        let label: string;
        try {
          label = await work(worker, i);
        } catch (err) {
          label = `error: ${(err as Error).message.slice(0, 80)}`;
        }
        outcomes[label] = (outcomes[label] ?? 0) + 1;
        (durations[label] ??= []).push(performance.now() - t0);
      }
    }),
  );
  return { outcomes, durations, elapsedSeconds: (performance.now() - started) / 1000 };
}
