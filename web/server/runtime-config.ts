// The /config.json the web server and the Vite dev server answer, from their environment.
import type { RuntimeConfig } from '../src/config/runtime-config.ts';

/**
 * `WEB_GRAPHQL_URL`: the gateway's public GraphQL URL (default: the page's host on
 * `GATEWAY_PORT`, 4000); the test cards show unless `NODE_ENV` is production.
 */
export function runtimeConfigFromEnv(env: NodeJS.ProcessEnv): RuntimeConfig {
  const port = Number(env.GATEWAY_PORT ?? 4000);
  return {
    ...(env.WEB_GRAPHQL_URL ? { graphqlUrl: env.WEB_GRAPHQL_URL } : {}),
    gatewayPort: Number.isInteger(port) && port > 0 ? port : 4000,
    testCards: env.NODE_ENV !== 'production',
  };
}
