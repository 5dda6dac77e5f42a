import { assertInfrastructureReachable } from '../shared/src/preflight.ts';
import { loadConfig } from '../shared/src/config.ts';

// Fail the whole run once, with one clear line, instead of every suite timing out on its own.
export default async function globalSetup(): Promise<void> {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  await assertInfrastructureReachable(loadConfig({ ...process.env, NODE_ENV: 'test' }));
}
