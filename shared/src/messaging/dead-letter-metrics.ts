import { Gauge, register } from 'prom-client';
import type { DeadLetterQueue } from './dead-letters.ts';

// The dead-letter count is what an alert keys on: a message there has stopped moving and needs an
// operator (`npm run dlq -- list`). It is read from the broker when scraped, so every replica
// reports the same number and nothing polls between scrapes.

const watched = new Map<string, DeadLetterQueue>();
let gauge: Gauge<'queue'> | undefined;

/** How long a scrape waits for the broker before leaving the queue out of this sample. */
const COUNT_TIMEOUT_MS = 2_000;

/**
 * Reports a dead-letter queue's size as `messaging_dead_letters{queue="<name>"}` on `/metrics`;
 * returns the function that stops reporting it.
 */
export function watchDeadLetters(queue: DeadLetterQueue): () => void {
  gauge ??= new Gauge({
    name: 'messaging_dead_letters',
    help: 'Messages in the dead-letter queue: they stopped moving and need an operator (npm run dlq)',
    labelNames: ['queue'],
    async collect() {
      this.reset();
      await Promise.all(
        [...watched].map(async ([name, dlq]) => {
          const count = await withTimeout(dlq.count(), COUNT_TIMEOUT_MS).catch(() => undefined);
          // Broker away: no sample rather than a false zero.
          if (count !== undefined) this.set({ queue: name }, count);
        }),
      );
    },
  });
  watched.set(queue.name, queue);
  return () => {
    if (watched.get(queue.name) === queue) watched.delete(queue.name);
  };
}

/** The process's metrics in Prometheus' text format, and its content type. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: register.contentType, body: await register.metrics() };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
