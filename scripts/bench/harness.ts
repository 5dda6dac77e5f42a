import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import net from 'node:net';
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
  const [one, five, fifteen] = os.loadavg();
  return {
    at: new Date().toISOString(),
    cpus: os.cpus().length,
    loadAverage1m: one?.toFixed(2),
    loadAverage5m: five?.toFixed(2),
    loadAverage15m: fifteen?.toFixed(2),
    freeMemoryMb: Math.round(os.freemem() / 1024 / 1024),
    availableMemoryMb: availableMemoryMb(),
    totalMemoryMb: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
  };
}

/** MemAvailable from /proc/meminfo (free memory plus what the kernel can reclaim), or NaN. */
function availableMemoryMb(): number {
  try {
    const kb = /MemAvailable:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

/** `a / b` rounded to two decimals (b at least 1, so an empty series reads as 0, not Infinity). */
/** The provider simulator's approved test card: every bench payment succeeds. */
export const CARD = {
  number: '4242424242424242',
  expMonth: 12,
  expYear: new Date().getUTCFullYear() + 2,
  cvc: '123',
  holderName: 'Bench',
};

/** Seconds per round of the interleaved comparisons (ours, theirs, ours, ...). */
export const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 5);

export const ratio = (a: number, b: number): number => +(a / Math.max(1, b)).toFixed(2);

/** A free TCP port on the loopback interface (the OS picks it; it is closed before use). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The PID of the process listening on a TCP port, from /proc (the gateway runs apart from the
 * bench); GATEWAY_PID overrides it when `gateway` is set.
 */
export function pidListeningOn(port: number, gateway = true): number | undefined {
  if (gateway && process.env.GATEWAY_PID) return Number(process.env.GATEWAY_PID);
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is ADDR:PORT; state 0A is LISTEN.
      if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A') inodes.add(cols[9]!);
    }
  }
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (inodes.has(/^socket:\[(\d+)\]$/.exec(link)?.[1] ?? '')) return Number(pid);
      } catch {
        // the descriptor closed meanwhile
      }
    }
  }
  return undefined;
}

/** Resident memory of a process in MB (VmRSS), or NaN. */
export function rssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : NaN;
  } catch {
    return NaN;
  }
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

/** The rounds of one target of an interleaved comparison, added up. */
export class Series {
  requests = 0;
  seconds = 0;
  non2xx = 0;
  errors = 0;
  readonly latencies: number[] = [];
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }

  /** Throughput over every round, latency percentiles over every response. */
  summary() {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number) =>
      sorted.length
        ? +sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1)
        : 0;
    return {
      name: this.name,
      requestsPerSecond: Math.round(this.requests / Math.max(0.001, this.seconds)),
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      requests: this.requests,
      non2xx: this.non2xx,
      errors: this.errors,
    };
  }
}

/**
 * One short round of POSTs at `connections` for `seconds`, added to `series` (none: a warm-up).
 * `body` is one body, or a function giving each request its own (cache misses).
 */
export function timedRound(
  url: string,
  body: string | (() => string),
  options: {
    seconds: number;
    connections: number;
    headers?: Record<string, string>;
    series?: Series;
  },
): Promise<void> {
  const { series } = options;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        connections: options.connections,
        duration: options.seconds,
        headers: { 'content-type': 'application/json', ...options.headers },
        ...(typeof body === 'string'
          ? { body }
          : { requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }] }),
      },
      (err, result) => {
        if (err) return reject(err);
        if (series) {
          series.requests += result.requests.total;
          series.seconds += result.duration;
          series.non2xx += result.non2xx;
          series.errors += result.errors + result.timeouts;
        }
        resolve();
      },
    );
    if (series)
      instance.on('response', (_client, _status, _bytes, responseTime: number) =>
        series.latencies.push(responseTime),
      );
  });
}
