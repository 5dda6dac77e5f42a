import { ConfigError, loadConfig, type Config } from './config.ts';
import { InfrastructureError, assertInfrastructureReachable } from './preflight.ts';
import type { RunningServer } from './http.ts';

/**
 * The `main` of every process: validates configuration, checks the infrastructure answers, starts
 * the service and stops it cleanly on SIGINT/SIGTERM. Start-up problems print one line and exit 1.
 */
export async function runService(
  name: string,
  start: (config: Config) => Promise<Pick<RunningServer, 'stop'>>,
  { needsInfrastructure = true } = {},
): Promise<void> {
  process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
  let running: Pick<RunningServer, 'stop'>;
  try {
    const config = loadConfig();
    if (needsInfrastructure) await assertInfrastructureReachable(config);
    running = await start(config);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof InfrastructureError) {
      console.error(`${name}: ${err.message}`);
    } else {
      console.error(`${name}: failed to start:`, err);
    }
    process.exit(1);
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await running.stop();
    } finally {
      console.error(`${name}: stopped (${signal})`);
      process.exit(0);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}
