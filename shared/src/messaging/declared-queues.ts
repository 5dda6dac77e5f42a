import type { QueueTopology } from './topology.ts';

// Queues declared in this process, by name prefix, so a test suite can delete what its services
// declared once they are all stopped (a service keeps its queues when it stops: that is what
// makes a restart lose nothing). Not exported from the package: only `@airline/shared/testing`
// reads it.
const declared = new Map<string, Set<string>>();

/** Notes the queues of a consumer started under a prefix. */
export function rememberQueues(prefix: string, queues: QueueTopology): void {
  if (!declared.has(prefix)) declared.set(prefix, new Set());
  // Every name, not just the work queue: two consumers of one queue may use different retry levels.
  for (const name of [
    queues.work,
    queues.dlq,
    queues.deadLetters,
    ...queues.retries.map((r) => r.name),
  ])
    declared.get(prefix)!.add(name);
}

/** The queues declared under a prefix, forgotten as they are handed out (they are being deleted). */
export function takeDeclaredQueues(prefix: string): string[] {
  const names = [...(declared.get(prefix) ?? [])];
  declared.delete(prefix);
  return names;
}
