// `npm start` announces the stack once everything answers, rather than printing URLs before any
// process is up: it polls each process's readiness endpoint until all of them say yes.

/** One endpoint that answers 2xx once its process can serve traffic. */
export interface ReadinessProbe {
  name: string;
  url: string;
}

/** Polls every probe until all answer 2xx (true) or the signal aborts (false). */
export async function waitUntilReady(
  probes: readonly ReadinessProbe[],
  { intervalMs = 500, signal }: { intervalMs?: number; signal?: AbortSignal } = {},
): Promise<boolean> {
  const pending = new Set(probes);
  while (pending.size > 0) {
    if (signal?.aborted) return false;
    await Promise.all(
      [...pending].map(async (probe) => {
        const res = await fetch(probe.url, { signal: AbortSignal.timeout(2_000) }).catch(
          () => null,
        );
        if (res?.ok) pending.delete(probe);
      }),
    );
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return true;
}

/** The one line `npm start` prints when every process is ready. */
export function readyLine(urls: { gateway: string; web?: string; metrics: string[] }): string {
  const parts = [`ready: gateway ${urls.gateway}`];
  if (urls.web) parts.push(`web app ${urls.web}`);
  parts.push(`metrics ${urls.metrics.join(' ')}`);
  return `${parts.join(', ')} (Ctrl-C stops everything)`;
}
