// `npm run serve -w web` (and the Docker image's web service): serves the production build on
// WEB_PORT (5173) and HOST (127.0.0.1; 0.0.0.0 in a container).
import { fileURLToPath } from 'node:url';
import { runtimeConfigFromEnv } from './runtime-config.ts';
import { startWebServer } from './static-server.ts';

const port = Number(process.env.WEB_PORT ?? 5173);
const config = runtimeConfigFromEnv(process.env);
const server = await startWebServer({
  distDir: process.env.WEB_DIST ?? fileURLToPath(new URL('../dist', import.meta.url)),
  port,
  host: process.env.HOST ?? '127.0.0.1',
  runtimeConfig: () => config,
});
console.log(`web: ${server.url} (gateway: ${config.graphqlUrl ?? `port ${config.gatewayPort}`})`);
const stop = () => void server.close().finally(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
