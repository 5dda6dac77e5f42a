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

process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
const root = fileURLToPath(new URL('..', import.meta.url));

try {
  const config = loadConfig();
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

const processes = [
  ...SERVICES.filter((s) => existsSync(`${root}subgraphs/${s}/src/main.ts`)).map((s) => ({
    name: s,
    command: `node subgraphs/${s}/src/main.ts`,
  })),
  ...(existsSync(`${root}payment-provider/src/main.ts`)
    ? [{ name: 'provider', command: 'node payment-provider/src/main.ts' }]
    : []),
  { name: 'gateway', command: 'node gateway/src/main.ts' },
];

const { result } = concurrently(
  processes.map((p) => ({ ...p, cwd: root, env: { FORCE_COLOR: '1' } })),
  { prefix: 'name', killOthersOn: ['failure'], padPrefix: true },
);
console.log(
  `gateway: http://localhost:${process.env.GATEWAY_PORT ?? 4000}/graphql (Ctrl-C stops everything)`,
);
try {
  await result;
} catch {
  process.exitCode = 1;
}
