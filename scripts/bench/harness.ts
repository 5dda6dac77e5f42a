import os from 'node:os';
import autocannon from 'autocannon';
import {
  GATEWAY_TOKEN_HEADER,
  ServiceTokens,
  type ServiceIdentity,
  type ServiceName,
} from '../../shared/src/index.ts';

/** Settings of one benchmark run, from the command line or the environment. */
export interface BenchSettings {
  gatewayUrl: string;
  subgraphUrl: (name: string) => string;
  /** SERVICE_SECRET of the stack: subgraphs answer only requests carrying a service credential. */
  serviceSecret: string;
  durationSeconds: number;
  connections: number;
}

/** One measured series: throughput and latency percentiles. */
export interface Measurement {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/** A scenario measures one or more series against a running stack. */
export interface Scenario {
  name: string;
  description: string;
  /** Starts the stacks it measures itself: needs no `npm start`, runs only when named. */
  standalone?: boolean;
  run: (settings: BenchSettings) => Promise<Record<string, unknown>>;
}

/** POSTs one GraphQL operation repeatedly and reports throughput and latency. */
export async function measureGraphQL(
  name: string,
  url: string,
  body: { query: string; variables?: Record<string, unknown> },
  settings: BenchSettings,
  headers: Record<string, string> = {},
): Promise<Measurement> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: settings.connections,
    duration: settings.durationSeconds,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** The machine's state while measuring, so figures can be read against it. */
export function machine(): Record<string, unknown> {
  return {
    cpus: os.cpus().length,
    loadAverage1m: os.loadavg()[0]?.toFixed(2),
    node: process.version,
  };
}

/** A quick GraphQL call used to prepare a scenario (log in, find ids). */
export async function graphql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...headers,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length || !body.data)
    throw new Error(`bench setup failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/**
 * The header with which the gateway proves itself to a subgraph, so a series can measure the
 * subgraph directly, as the gateway calls it. Fetch it right before each series: it lives 2 min.
 */
export async function asGateway(
  settings: BenchSettings,
  subgraph: ServiceName,
): Promise<Record<string, string>> {
  const tokens = new ServiceTokens(settings.serviceSecret, 'gateway');
  return { [GATEWAY_TOKEN_HEADER]: await tokens.forAudience(subgraph) };
}

/** `authorization` as `caller` sends it to another service's internal endpoint. */
export async function asService(
  settings: BenchSettings,
  caller: ServiceIdentity,
  audience: ServiceIdentity,
): Promise<Record<string, string>> {
  const tokens = new ServiceTokens(settings.serviceSecret, caller);
  return { authorization: `Bearer ${await tokens.sign(audience)}` };
}
