// The GitHub Actions workflow (.github/workflows/ci.yml) and the image (Dockerfile): the
// workflow is valid (action-validator), runs what .ci/run runs against the same three data
// stores, and builds one image tagged for every image name the manifests deploy; the image
// holds production dependencies only, runs as a non-root user and has a health check.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { globSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { SERVICES } from './topology.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const repo = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(join(repo, path), 'utf8');
const WORKFLOW = '.github/workflows/ci.yml';
const workflow = parse(read(WORKFLOW)) as Obj;
const runs = (job: string): string[] =>
  (workflow.jobs[job].steps as Obj[]).filter((s) => s.run).map((s) => String(s.run));

describe(`GitHub Actions workflow (${WORKFLOW})`, () => {
  it('is a valid workflow (action-validator)', () => {
    const cli = join(repo, 'node_modules/@action-validator/cli/cli.mjs');
    const result = spawnSync(process.execPath, [cli, join(repo, WORKFLOW)], { encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(`action-validator refuses ${WORKFLOW}:\n${result.stdout}${result.stderr}`);
  });

  it('runs every npm command .ci/run runs, in a job with PostgreSQL, Redis and RabbitMQ on their usual ports', () => {
    // npm ci, npm run lint, npm test, npm run test:chaos, ... as .ci/run spells them.
    const commands = [...read('.ci/run').matchAll(/\bnpm (ci|test|run [\w:-]+)/g)].map(
      (m) => m[1]!,
    );
    expect(commands.length).toBeGreaterThanOrEqual(4);
    const steps = runs('test');
    const missing = commands.filter(
      (c) => !steps.some((run) => new RegExp(`\\bnpm ${c}(\\s|$)`).test(run)),
    );
    expect({ file: WORKFLOW, missingFromTestJob: missing }).toEqual({
      file: WORKFLOW,
      missingFromTestJob: [],
    });

    const services = workflow.jobs.test.services as Obj;
    const ports = Object.fromEntries(
      Object.entries(services).map(([name, s]) => [name, (s.ports as string[]).join()]),
    );
    expect(ports).toEqual({ postgres: '5432:5432', redis: '6379:6379', rabbitmq: '5672:5672' });
    for (const [name, s] of Object.entries(services))
      expect({ service: name, healthCheck: /--health-cmd/.test(s.options) }).toEqual({
        service: name,
        healthCheck: true,
      });
  });

  it('builds the image once and tags it for every image the production manifests and ECS deploy', () => {
    const builds = (workflow.jobs.image.steps as Obj[]).filter((s) =>
      String(s.uses).startsWith('docker/build-push-action'),
    );
    expect(builds).toHaveLength(1);
    const tagged = String(builds[0]!.with.tags)
      .split('\n')
      .map((t) => t.trim().match(/\/(airline-[\w-]+):/)?.[1])
      .filter(Boolean)
      .sort();
    // deploy/k8s/overlays/production and deploy/terraform/modules/ecs name airline-<service>
    // and airline-migrate.
    expect(tagged).toEqual([...SERVICES.map((s) => `airline-${s}`), 'airline-migrate'].sort());
    const production = read('deploy/k8s/overlays/production/kustomization.yaml');
    for (const name of tagged) expect(production).toContain(`name: ${name}\n`);
  });
});

describe('Docker image (Dockerfile)', () => {
  const dockerfile = read('Dockerfile');
  const root = JSON.parse(read('package.json')) as Obj;
  // Each stage's instructions by its name (`FROM ... AS name`).
  const stages = new Map(
    dockerfile
      .split(/^(?=FROM )/m)
      .filter((s) => s.startsWith('FROM '))
      .map((s) => [s.match(/^FROM \S+ AS (\S+)/)?.[1] ?? '', s]),
  );
  const last = [...stages.keys()].at(-1)!;

  it('installs production dependencies only, from every workspace package.json', () => {
    expect(stages.get('deps')).toMatch(/npm ci --omit=dev/);
    expect(stages.get(last)).toMatch(/^COPY --from=deps /m);
    // npm ci refuses a lock file whose workspaces are missing: each needs its COPY.
    const workspaces = (root.workspaces as string[]).flatMap((w) =>
      globSync(`${w}/package.json`, { cwd: repo }),
    );
    const copied = [...dockerfile.matchAll(/^COPY (\S+\/package\.json) /gm)].map((m) => m[1]);
    expect({ Dockerfile: workspaces.filter((w) => !copied.includes(w)) }).toEqual({
      Dockerfile: [],
    });
  });

  it('applies the patched dependencies in the production install as in development', () => {
    // The root postinstall runs patch-package: it must be installed with --omit=dev and find
    // patches/ when npm ci runs in the deps stage (which starts from the manifests stage).
    const scripts = root.scripts as Record<string, string>;
    expect(scripts.postinstall).toBe('patch-package');
    expect(Object.keys(root.dependencies as Obj)).toContain('patch-package');
    expect(stages.get('manifests')).toMatch(/^COPY patches\/ patches\/$/m);
    expect(stages.get('deps')).toMatch(/^FROM manifests AS deps$/m);
  });

  it.each(['runtime', 'web'])(
    'runs the %s stage as a numeric non-root user with a HEALTHCHECK',
    (stage) => {
      const text = stages.get(stage) ?? '';
      const user = text.match(/^USER (\d+)(?::\d+)?$/m);
      expect({ stage, nonRootUser: Boolean(user && Number(user[1]) > 0) }).toEqual({
        stage,
        nonRootUser: true,
      });
      expect({ stage, healthcheck: /^HEALTHCHECK /m.test(text) }).toEqual({
        stage,
        healthcheck: true,
      });
    },
  );

  it('builds the services image by default (the last stage, what compose and CI build)', () => {
    expect(last).toBe('runtime');
    expect(stages.get(last)).toMatch(/\/health\/live/);
  });

  it('keeps tests, deployment files and .env out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['node_modules', '.git', '.env', 'tests', 'deploy', '**/*.test.ts'])
      expect({ '.dockerignore': entry, listed: ignored.includes(entry) }).toEqual({
        '.dockerignore': entry,
        listed: true,
      });
  });

  it('gives production code only packages that `npm ci --omit=dev` installs (concurrently is dev-only)', () => {
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, Obj> };
    // Installed paths: hoisted (node_modules/x) or a workspace's own version (shared/node_modules/x).
    const installed = new Set(
      Object.entries(lock.packages)
        .filter(([path, p]) => path.includes('node_modules/') && !p.dev && !p.devOptional)
        .map(([path]) => path),
    );
    const workspaceOf = (file: string) => file.match(/^(subgraphs\/[^/]+|[^/]+)\//)?.[1];
    const resolves = (file: string, name: string) =>
      installed.has(`node_modules/${name}`) ||
      installed.has(`${workspaceOf(file)}/node_modules/${name}`);
    expect(installed.has('node_modules/concurrently')).toBe(false);
    expect(root.dependencies?.concurrently).toBeUndefined();
    // What the image runs: every process's sources, composition and migrations. Test helpers
    // (testing/, *.test.ts) are not part of it.
    const files = globSync(
      [
        'shared/src/**/*.ts',
        'gateway/src/**/*.ts',
        'subgraphs/*/src/**/*.ts',
        'payment-provider/src/**/*.ts',
        'scripts/compose.ts',
        'scripts/migrate.ts',
      ],
      { cwd: repo },
    ).filter((f) => !/\.test\.ts$|\/testing\/|__generated__/.test(f));
    expect(files.length).toBeGreaterThan(50);
    const builtins = new Set(builtinModules);
    const problems: string[] = [];
    for (const file of files) {
      const source = read(file);
      // Value imports only: `import type` is erased when Node strips the types.
      for (const [, specifier] of source.matchAll(
        /^\s*(?:import(?!\s+type\s)[^'"]*?from\s+|import\s+|export\s+(?!type\s)[^'"]*?from\s+)['"]([^'"]+)['"]/gm,
      )) {
        if (specifier!.startsWith('.') || specifier!.startsWith('node:')) continue;
        const name = specifier!.startsWith('@')
          ? specifier!.split('/').slice(0, 2).join('/')
          : specifier!.split('/')[0]!;
        if (builtins.has(name) || resolves(file, name)) continue;
        problems.push(`${file} imports ${name}, which the image does not install`);
      }
    }
    expect(problems).toEqual([]);
  });
});
