import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../harness.ts';

// Hive Gateway (npm @graphql-hive/gateway, a devDependency used only by the bench) as a child
// process on a free port, on the supergraph our gateway serves, with its default settings except
// what the subgraphs require: the caller's Authorization passed on, and the gateway's service
// credential (`x-gateway-token`, addressed to each subgraph by name) on every subgraph request.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const HIVE_BIN = join(ROOT, 'node_modules/@graphql-hive/gateway/dist/bin.js');

// Self-contained (a temporary directory resolves no packages): the same HS256 service credential
// shared/src/service-auth.ts signs (typ service+jwt, iss gateway, aud the subgraph, 120 s),
// re-signed at half its lifetime as ServiceTokens.forAudience does.
const CONFIG = `import { createHmac } from 'node:crypto';

const secret = process.env.BENCH_SERVICE_SECRET;
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const issued = new Map();

function credential(audience) {
  const now = Math.floor(Date.now() / 1000);
  const cached = issued.get(audience);
  if (cached && cached.renewAt > now) return cached.token;
  const unsigned = b64({ alg: 'HS256', typ: 'service+jwt' }) + '.' +
    b64({ iss: 'gateway', sub: 'gateway', aud: audience, iat: now, exp: now + 120 });
  const token = unsigned + '.' + createHmac('sha256', secret).update(unsigned).digest('base64url');
  issued.set(audience, { token, renewAt: now + 60 });
  return token;
}

export const gatewayConfig = {
  propagateHeaders: {
    fromClientToSubgraphs({ request, subgraphName }) {
      return {
        authorization: request.headers.get('authorization') ?? undefined,
        'x-gateway-token': credential(subgraphName.toLowerCase()),
      };
    },
  },
};
`;

/** A running Hive Gateway. */
export interface HiveGateway {
  url: string;
  pid: number;
  /** What it printed so far (last 8 KB), to show when it misbehaves. */
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts Hive Gateway on `supergraphFile`; rejects with its output if it is not ready in 60 s. */
export async function startHive(
  supergraphFile: string,
  serviceSecret: string,
): Promise<HiveGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-hive-'));
  const configFile = join(dir, 'gateway.config.mjs');
  writeFileSync(configFile, CONFIG);
  const port = await freePort();
  // The CLI also reads these from the environment: the arguments below decide, not the shell.
  const ignored = new Set(['PORT', 'HOST', 'FORK', 'CONFIG_PATH', 'POLLING', 'NODE_OPTIONS']);
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !ignored.has(k))),
    BENCH_SERVICE_SECRET: serviceSecret,
  };
  const child = spawn(
    process.execPath,
    [
      HIVE_BIN,
      'supergraph',
      supergraphFile,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--config-path',
      configFile,
    ],
    { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8192));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited: string | undefined;
  const gone = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = `exited (${signal ?? code})`;
      resolve();
    }),
  );
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) break;
    const res = await fetch(`http://127.0.0.1:${port}/readiness`).catch(() => null);
    if (res?.ok) return { url, pid: child.pid!, output: () => output, stop };
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(
    `Hive Gateway did not become ready on port ${port} (${exited ?? 'timed out after 60 s'}); its output:\n${output}`,
  );
}
