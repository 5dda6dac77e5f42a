// `npm start`: checks the infrastructure, composes the supergraph and runs every process with
// prefixed logs; Ctrl-C stops them all. Each service creates and migrates its own database and
// seeds its demo data when it boots.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import concurrently from 'concurrently';
import {
  assertInfrastructureReachable,
  ConfigError,
  InfrastructureError,
  loadConfig,
  SERVICES,
} from '../shared/src/index.ts';
import { composeToFile, CompositionError } from '../gateway/src/compose.ts';
import { replicaCount, withReplicas, type StartProcess } from './replicas.ts';
import { readyLine, waitUntilReady, type ReadinessProbe } from './ready-banner.ts';

process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
const root = fileURLToPath(new URL('..', import.meta.url));

let replicas = 1;
let ports: Record<string, number> = {};
let webPort = 5173;
try {
  const config = loadConfig();
  replicas = replicaCount(process.env.REPLICAS);
  ports = config.ports;
  webPort = config.web.port;
  await assertInfrastructureReachable(config);
  composeToFile(`${root}supergraph.yaml`, `${root}supergraph.graphql`);
} catch (err) {
  if (
    err instanceof ConfigError ||
    err instanceof InfrastructureError ||
    err instanceof CompositionError
  ) {
    console.error(`npm start: ${err.message}`);
    process.exit(1);
  }
  throw err;
}

// Every Node process starts tracing first (a no-op unless OTEL_EXPORTER_OTLP_ENDPOINT is set).
const node = 'node --import ./shared/src/tracing/preload.ts';
/** The gateway's V8 heap limits, chosen by measuring RSS and throughput under the search bench. */
const GATEWAY_NODE_FLAGS = '--max-old-space-size=256 --max-semi-space-size=16';
const processes: StartProcess[] = [
  ...SERVICES.filter((s) => existsSync(`${root}subgraphs/${s}/src/main.ts`)).map((s) => ({
    name: s,
    command: `${node} subgraphs/${s}/src/main.ts`,
  })),
  ...(existsSync(`${root}payment-provider/src/main.ts`)
    ? [{ name: 'provider', command: `${node} payment-provider/src/main.ts` }]
    : []),
  // Local SMTP server and SMS/push providers for notifications; what they got: http://127.0.0.1:4020
  ...(existsSync(`${root}subgraphs/notifications/src/dev-sinks/main.ts`)
    ? [{ name: 'sinks', command: 'node subgraphs/notifications/src/dev-sinks/main.ts' }]
    : []),
  // The gateway's heap is capped (GATEWAY_NODE_FLAGS overrides): without a cap V8 defers major
  // GCs and grows the young generation, and RSS after the search bench passed 340 MB for a live
  // set of about 40 MB; with these it stays near 230 MB at the same throughput.
  {
    name: 'gateway',
    command: `${node} ${process.env.GATEWAY_NODE_FLAGS ?? GATEWAY_NODE_FLAGS} gateway/src/main.ts`,
  },
  // The reference web app (Vite dev server on WEB_PORT), its operations typed first.
  { name: 'web', command: 'npm run codegen --silent && npm run dev --workspace web' },
];

// REPLICAS=n: n copies of each subgraph and of the gateway behind a local round-robin.
const { result } = concurrently(
  withReplicas(processes, replicas, ports).map((p) => ({
    ...p,
    cwd: root,
    // Children write into pipes: tell them whether a person is watching (readable logs) or not.
    env: {
      FORCE_COLOR: '1',
      LOG_PRETTY: process.stdout.isTTY ? '1' : '0',
      OTEL_SERVICE_NAME: p.name.replace(/#\d+$/, ''),
      ...p.env,
    },
  })),
  { prefix: 'name', killOthersOn: ['failure'], padPrefix: true },
);
// One line once every process answers its readiness check, instead of URLs before anything is up.
const stopPolling = new AbortController();
const local = (port: number, path: string) => `http://localhost:${port}${path}`;
const services = processes.map((p) => p.name).filter((name) => ports[name] !== undefined);
const probes: ReadinessProbe[] = [
  ...services.map((name) => ({ name, url: local(ports[name]!, '/health/ready') })),
  ...(processes.some((p) => p.name === 'provider') && ports.paymentProvider
    ? [{ name: 'provider', url: local(ports.paymentProvider, '/health') }]
    : []),
  ...(processes.some((p) => p.name === 'web') ? [{ name: 'web', url: local(webPort, '/') }] : []),
];
void waitUntilReady(probes, { signal: stopPolling.signal }).then((ready) => {
  if (!ready) return;
  console.log(
    readyLine({
      gateway: local(ports.gateway ?? 4000, '/graphql'),
      ...(processes.some((p) => p.name === 'web') ? { web: local(webPort, '') } : {}),
      metrics: [
        ...services.map((name) => local(ports[name]!, '/metrics')),
        ...(ports.paymentProvider ? [local(ports.paymentProvider, '/metrics')] : []),
      ],
    }),
  );
});
try {
  await result;
} catch {
  process.exitCode = 1;
} finally {
  stopPolling.abort();
}
