// `node --import ./shared/src/tracing/preload.ts <main>`: starts tracing before any other module
// loads, so the instrumentations see pg, express, graphql, ioredis and amqplib when they are first
// imported. Does nothing unless OTEL_EXPORTER_OTLP_ENDPOINT is set: tracing is off by default.
import { register } from 'node:module';
import { basename, dirname } from 'node:path';

const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
if (endpoint) {
  const { createAddHookMessageChannel } = await import('import-in-the-middle');
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  // ESM modules are only patchable through the loader hook; CommonJS ones through require.
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  const { startTracing } = await import('./sdk.ts');
  const tracing = startTracing({ serviceName: serviceName(), endpoint });
  await waitForAllMessagesAcknowledged();
  // Flush what is buffered when runService exits on SIGINT/SIGTERM.
  process.once('beforeExit', () => void tracing.shutdown());
}

/** OTEL_SERVICE_NAME, else the folder of the main script (subgraphs/<name>/src/main.ts -> name). */
function serviceName(): string {
  if (process.env.OTEL_SERVICE_NAME) return process.env.OTEL_SERVICE_NAME;
  const main = process.argv[1] ?? 'node';
  return basename(dirname(dirname(main))) || basename(main);
}
