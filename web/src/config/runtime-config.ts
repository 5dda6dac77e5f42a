// What the app needs to know about where it runs, read at start-up from /config.json so one
// production build serves any deployment (the server writes it from its environment; the Vite
// dev server and the browser tests serve their own).

/** The document the web server answers at /config.json. */
export interface RuntimeConfig {
  /** The gateway's GraphQL URL as browsers reach it; unset: same host as the page, gatewayPort. */
  graphqlUrl?: string;
  /** The gateway's port when graphqlUrl is unset. */
  gatewayPort: number;
  /** Show the payment provider simulator's test cards beside the card form (never in production). */
  testCards: boolean;
}

/** The endpoints the Apollo links talk to. */
export interface Endpoints {
  httpUrl: string;
  wsUrl: string;
}

/** HTTP and WebSocket URLs of the gateway for a page served at `location`. */
export function endpointsFor(
  config: RuntimeConfig,
  location: { protocol: string; hostname: string },
): Endpoints {
  const httpUrl =
    config.graphqlUrl ?? `${location.protocol}//${location.hostname}:${config.gatewayPort}/graphql`;
  // Subscriptions share the gateway's /graphql path: ws:// beside http://, wss:// beside https://.
  return { httpUrl, wsUrl: httpUrl.replace(/^http/, 'ws') };
}

/**
 * Reads /config.json; a missing or broken one falls back to the gateway on port 4000 (test cards
 * shown when `development`).
 */
export async function loadRuntimeConfig(
  development: boolean,
  fetchJson = fetch,
): Promise<RuntimeConfig> {
  const fallback: RuntimeConfig = { gatewayPort: 4000, testCards: development };
  try {
    const res = await fetchJson('/config.json', { headers: { accept: 'application/json' } });
    if (!res.ok) return fallback;
    return { ...fallback, ...((await res.json()) as Partial<RuntimeConfig>) };
  } catch {
    return fallback;
  }
}
