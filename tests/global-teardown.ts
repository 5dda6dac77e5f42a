import { loadConfig } from '../shared/src/config.ts';
import { removeLeftovers } from './teardown/leftovers.ts';

/** Resources of a crashed run older than this, and unused, are leftovers (see leftovers.ts). */
const LEFTOVER_AGE_MS = 2 * 60 * 1000;

// Suites drop what they create in their own `finally`; this catches what a crashed or killed run
// left behind (databases, Redis keys, queues, exchanges), so they never pile up on a machine.
export default async function globalTeardown(): Promise<void> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  try {
    const removed = await removeLeftovers(config, LEFTOVER_AGE_MS);
    const total =
      removed.databases.length + removed.keys + removed.queues.length + removed.exchanges.length;
    if (total) {
      console.log(
        `\nglobal teardown: removed leftovers of earlier runs: ${removed.databases.length} databases, ` +
          `${removed.keys} Redis keys, ${removed.queues.length} queues, ${removed.exchanges.length} exchanges`,
      );
    }
  } catch (err) {
    // Cleaning up must never turn a green run red; say what went wrong instead.
    console.warn(`global teardown: could not remove leftovers: ${(err as Error).message}`);
  }
}
