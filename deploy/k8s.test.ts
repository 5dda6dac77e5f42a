// Renders each Kubernetes overlay (deploy/k8s/overlays/*) with `kubectl kustomize` and checks
// what comes out: every object against its schema, and the behaviour the manifests promise
// (probes, resources, autoscalers, disruption budgets, who may connect to whom, where secrets
// come from). Schemas: built-in kinds from kubernetes-models, ExternalSecrets from
// @kubernetes-models/external-secrets and CloudNativePG resources from
// @kubernetes-models/cloudnative-pg (all check types, required fields, enums and formats, not
// unknown fields). No npm package models the RabbitMQ Cluster Operator's `RabbitmqCluster`, so
// it is checked structurally only (apiVersion, kind, the fields the operator requires and the
// ones these manifests rely on).
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as k8s from 'kubernetes-models';
import * as cnpg from '@kubernetes-models/cloudnative-pg';
import * as eso from '@kubernetes-models/external-secrets';
import { parseAllDocuments } from 'yaml';
import { CALLERS, PORTS, SERVICES, SUBGRAPHS } from './topology.ts';

// The rendered YAML, loosely typed: the tests read what they check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const here = fileURLToPath(new URL('.', import.meta.url));
const OVERLAYS = ['local', 'production'] as const;
type Overlay = (typeof OVERLAYS)[number];
const NAMESPACE = 'airline';

function findKubectl(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'kubectl');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(
    'kubectl is not on PATH: the deploy tests render the manifests with `kubectl kustomize`. ' +
      "Install Debian's package: apt-get install -y kubernetes-client",
  );
}

const rendered = new Map<Overlay, Obj[]>();
function render(overlay: Overlay): Obj[] {
  const cached = rendered.get(overlay);
  if (cached) return cached;
  const dir = join(here, 'k8s/overlays', overlay);
  const result = spawnSync(findKubectl(), ['kustomize', dir], { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`kubectl kustomize deploy/k8s/overlays/${overlay} failed:\n${result.stderr}`);
  const objects = parseAllDocuments(result.stdout)
    .map((doc) => doc.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);
  rendered.set(overlay, objects);
  return objects;
}

const id = (o: Obj) => `${o.kind}/${o.metadata?.name}`;
const find = (objects: Obj[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata?.name === name);
const ofKind = (objects: Obj[], kind: string) => objects.filter((o) => o.kind === kind);

// --- schemas -----------------------------------------------------------------------------

/** "networking.k8s.io" -> "networkingK8sIo", the kubernetes-models namespace of a group. */
const groupKey = (group: string) =>
  group.replace(/[.-]([a-z0-9])/g, (_, c: string) => c.toUpperCase());

interface Model {
  new (data: Obj): { validate(): void };
}

function builtinModel(apiVersion: string, kind: string): Model | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const root = (group!.endsWith('external-secrets.io')
    ? eso
    : group === 'postgresql.cnpg.io'
      ? cnpg
      : k8s) as unknown as Obj;
  const versions = group ? root[groupKey(group!)] : { [version!]: k8s.v1 };
  return versions?.[version!]?.[kind] as Model | undefined;
}

/**
 * The RabbitMQ Cluster Operator's `RabbitmqCluster`, checked by hand (no schema package exists):
 * the version and kind the operator serves, a positive replica count, and no field outside
 * those the operator's v1beta1 spec knows at the top level.
 */
const RABBITMQ_SPEC_FIELDS = new Set([
  'replicas',
  'image',
  'imagePullSecrets',
  'service',
  'persistence',
  'resources',
  'affinity',
  'tolerations',
  'rabbitmq',
  'tls',
  'override',
  'skipPostDeploySteps',
  'terminationGracePeriodSeconds',
  'delayStartSeconds',
  'secretBackend',
  'autoEnableAllFeatureFlags',
]);
function rabbitmqClusterErrors(o: Obj): string | undefined {
  const problems: string[] = [];
  if (o.apiVersion !== 'rabbitmq.com/v1beta1') problems.push(`apiVersion ${o.apiVersion}`);
  if (!o.metadata?.name) problems.push('metadata.name missing');
  const spec = (o.spec ?? {}) as Obj;
  if (!Number.isInteger(spec.replicas) || spec.replicas < 1)
    problems.push('spec.replicas must be a positive integer');
  for (const key of Object.keys(spec))
    if (!RABBITMQ_SPEC_FIELDS.has(key)) problems.push(`spec.${key} is not a RabbitmqCluster field`);
  if (
    spec.rabbitmq?.additionalConfig !== undefined &&
    typeof spec.rabbitmq.additionalConfig !== 'string'
  )
    problems.push('spec.rabbitmq.additionalConfig must be a string');
  return problems.length ? problems.join('; ') : undefined;
}

/**
 * kustomize v5 folds long base64 values over lines; the API server's decoder skips the line
 * breaks, so the schema sees them without.
 */
function unfolded(o: Obj): Obj {
  if (o.kind !== 'Secret' || !o.data) return o;
  const data = Object.fromEntries(
    Object.entries(o.data as Record<string, string>).map(([k, v]) => [k, v.replace(/\s+/g, '')]),
  );
  return { ...o, data };
}

function schemaErrors(o: Obj): string | undefined {
  const model = builtinModel(o.apiVersion, o.kind);
  if (model) {
    try {
      new model(unfolded(o)).validate();
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  }
  if (o.kind === 'RabbitmqCluster') return rabbitmqClusterErrors(o);
  return `no schema for ${o.apiVersion} ${o.kind}`;
}

// --- pods --------------------------------------------------------------------------------

/** Every pod template in the overlay, by its workload's name. */
function podTemplates(objects: Obj[]): [string, Obj][] {
  return objects
    .filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind))
    .map((o): [string, Obj] => [o.metadata.name, o.spec.template]);
}

function matches(selector: Obj | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = ((selector.matchExpressions ?? []) as Obj[]).every((e) => {
    const has = e.key in labels;
    if (e.operator === 'In') return has && e.values.includes(labels[e.key]);
    if (e.operator === 'NotIn') return !has || !e.values.includes(labels[e.key]);
    if (e.operator === 'Exists') return has;
    if (e.operator === 'DoesNotExist') return !has;
    throw new Error(`unknown selector operator ${e.operator}`);
  });
  return byLabel && byExpression;
}

/** A connection's source: a pod's labels and its namespace's labels. */
interface Peer {
  labels: Record<string, string>;
  namespace: Record<string, string>;
}
const namespaceLabels = (name: string) => ({ 'kubernetes.io/metadata.name': name });
const inNamespace = (labels: Record<string, string>): Peer => ({
  labels,
  namespace: namespaceLabels(NAMESPACE),
});
/** The labels of a workload's pods in these manifests. */
const podOf = (name: string) => ({
  'app.kubernetes.io/name': name,
  'app.kubernetes.io/part-of': 'airline',
});

/** Whether the overlay's NetworkPolicies let `source` open a TCP connection to `target:port`. */
function admits(objects: Obj[], source: Peer, target: Record<string, string>, port: number) {
  const policies = ofKind(objects, 'NetworkPolicy').filter(
    (p) => p.spec.policyTypes?.includes('Ingress') && matches(p.spec.podSelector, target),
  );
  if (!policies.length) return true;
  return policies.some((p) =>
    ((p.spec.ingress ?? []) as Obj[]).some((rule) => {
      const portOk =
        !rule.ports?.length ||
        (rule.ports as Obj[]).some((r) => port >= r.port && port <= (r.endPort ?? r.port));
      const fromOk =
        !rule.from?.length ||
        (rule.from as Obj[]).some((peer) =>
          peer.namespaceSelector
            ? matches(peer.namespaceSelector, source.namespace) &&
              matches(peer.podSelector, source.labels)
            : source.namespace['kubernetes.io/metadata.name'] === NAMESPACE &&
              matches(peer.podSelector, source.labels),
        );
      return portOk && fromOk;
    }),
  );
}

// The pods the operators make, by the labels they give them.
const POSTGRES_POD = { 'cnpg.io/cluster': 'airline-pg', 'cnpg.io/instanceRole': 'primary' };
const RABBITMQ_POD = {
  'app.kubernetes.io/name': 'airline-mq',
  'app.kubernetes.io/component': 'rabbitmq',
};

/** The workloads (of this overlay) whose pods may reach `target:port`. */
function callersOf(objects: Obj[], target: Record<string, string>, port: number): string[] {
  return podTemplates(objects)
    .filter(([, t]) => admits(objects, inNamespace(t.metadata.labels), target, port))
    .map(([name]) => name)
    .sort();
}

const containerOf = (objects: Obj[], name: string): Obj => {
  const deployment = find(objects, 'Deployment', name);
  if (!deployment) throw new Error(`no Deployment/${name} in the rendered overlay`);
  return deployment.spec.template.spec.containers[0];
};

// --- the tests ---------------------------------------------------------------------------

describe.each(OVERLAYS)('Kubernetes overlay %s', (overlay) => {
  it('renders with kubectl kustomize, everything in the airline namespace', () => {
    const objects = render(overlay);
    expect(objects.length).toBeGreaterThan(30);
    const outside = objects
      .filter((o) => o.kind !== 'Namespace' && o.metadata?.namespace !== NAMESPACE)
      .map(id);
    expect(outside).toEqual([]);
  });

  it('has only objects valid against their schemas (built-in, ExternalSecret, CloudNativePG and RabbitMQ CRDs)', () => {
    const invalid = render(overlay)
      .map((o) => [id(o), schemaErrors(o)] as const)
      .filter(([, errors]) => errors)
      .map(([name, errors]) => `${name}: ${errors}`);
    expect(invalid).toEqual([]);
  });

  it.each(SERVICES)(
    'runs %s with probes on its health endpoints, resources, an autoscaler, a disruption budget and scrape annotations',
    (service) => {
      const objects = render(overlay);
      const port = PORTS[service];
      const where = `deploy/k8s/overlays/${overlay}: Deployment/${service}`;
      const deployment = find(objects, 'Deployment', service)!;
      const labels = deployment.spec.template.metadata.labels;
      const c = containerOf(objects, service);
      const problems: string[] = [];
      const want = (ok: unknown, what: string) => {
        if (!ok) problems.push(`${where} ${what}`);
      };
      want(deployment.spec.replicas === undefined, 'sets replicas (its autoscaler owns the count)');
      want(
        c.ports?.length === 1 && c.ports[0].containerPort === port,
        `listens on more than ${port}`,
      );
      // Started = the port answers (start-up migrates first); ready = dependencies answer. The
      // gateway the other way round: ready once every subgraph answered, then while it lives
      // (its readiness would fail for any one subgraph's outage).
      const [startup, ready] =
        service === 'gateway'
          ? ['/health/ready', '/health/live']
          : ['/health/live', '/health/ready'];
      want(c.startupProbe?.httpGet?.path === startup, `has no startup probe on ${startup}`);
      want(c.readinessProbe?.httpGet?.path === ready, `has no readiness probe on ${ready}`);
      want(
        c.livenessProbe?.httpGet?.path === '/health/live',
        'has no liveness probe on /health/live',
      );
      for (const kind of ['requests', 'limits'])
        for (const resource of ['cpu', 'memory'])
          want(c.resources?.[kind]?.[resource], `has no ${kind}.${resource}`);
      const annotations = deployment.spec.template.metadata.annotations ?? {};
      want(
        annotations['prometheus.io/scrape'] === 'true' &&
          annotations['prometheus.io/port'] === String(port) &&
          annotations['prometheus.io/path'] === '/metrics',
        `has no Prometheus annotations for :${port}/metrics`,
      );
      const svc = find(objects, 'Service', service);
      want(
        svc &&
          matches({ matchLabels: svc.spec.selector }, labels) &&
          svc.spec.ports[0].port === port,
        `has no Service on ${port} selecting its pods`,
      );
      const hpa = find(objects, 'HorizontalPodAutoscaler', service);
      const target = hpa?.spec.scaleTargetRef;
      want(target?.kind === 'Deployment' && target?.name === service, 'has no autoscaler');
      want(hpa && hpa.spec.minReplicas <= hpa.spec.maxReplicas, 'has an autoscaler with min > max');
      if (overlay === 'production')
        want(hpa?.spec.minReplicas >= 2, 'may scale to a single replica in production');
      const pdb = find(objects, 'PodDisruptionBudget', service);
      want(
        pdb && matches(pdb.spec.selector, labels),
        'has no disruption budget selecting its pods',
      );
      expect(problems).toEqual([]);
    },
  );

  it('runs every container as non-root, read-only, without privilege escalation or capabilities, without an API token', () => {
    const problems: string[] = [];
    for (const [name, template] of podTemplates(render(overlay))) {
      const pod = template.spec;
      if (pod.automountServiceAccountToken !== false)
        problems.push(`${name}: mounts a service account token`);
      if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault')
        problems.push(`${name}: no RuntimeDefault seccomp profile`);
      for (const c of pod.containers as Obj[]) {
        const sc = { ...pod.securityContext, ...c.securityContext };
        if (sc.runAsNonRoot !== true || !(sc.runAsUser > 0))
          problems.push(`${name}/${c.name}: may run as root`);
        if (sc.allowPrivilegeEscalation !== false)
          problems.push(`${name}/${c.name}: allows privilege escalation`);
        if (sc.readOnlyRootFilesystem !== true)
          problems.push(`${name}/${c.name}: writable root filesystem`);
        if (JSON.stringify(sc.capabilities?.drop) !== '["ALL"]')
          problems.push(`${name}/${c.name}: keeps capabilities`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('defines every $(VAR) a container uses before it is used', () => {
    const problems: string[] = [];
    for (const [name, template] of podTemplates(render(overlay))) {
      for (const c of template.spec.containers as Obj[]) {
        const defined = new Set<string>();
        const check = (text: unknown, where: string) => {
          for (const [, ref] of String(text).matchAll(/\$\(([A-Z0-9_]+)\)/g))
            if (!defined.has(ref!))
              problems.push(`${name}/${c.name} ${where}: $(${ref}) is not defined before it`);
        };
        for (const e of (c.env ?? []) as Obj[]) {
          if (e.value !== undefined) check(e.value, `env ${e.name}`);
          defined.add(e.name);
        }
        for (const part of [...(c.command ?? []), ...(c.args ?? [])]) check(part, 'command');
      }
    }
    expect(problems).toEqual([]);
  });

  it('has every Secret and ConfigMap a pod or custom resource names (rendered, synchronised from outside or made by an operator)', () => {
    const objects = render(overlay);
    const secrets = new Map<string, Set<string> | 'any'>();
    for (const s of ofKind(objects, 'Secret'))
      secrets.set(s.metadata.name, new Set(Object.keys({ ...s.data, ...s.stringData })));
    for (const e of ofKind(objects, 'ExternalSecret'))
      secrets.set(
        e.spec.target?.name ?? e.metadata.name,
        e.spec.dataFrom ? 'any' : new Set((e.spec.data as Obj[]).map((d) => d.secretKey)),
      );
    // The RabbitMQ operator keeps each cluster's credentials in <name>-default-user.
    for (const r of ofKind(objects, 'RabbitmqCluster'))
      secrets.set(
        `${r.metadata.name}-default-user`,
        new Set(['username', 'password', 'host', 'port']),
      );
    const configMaps = new Set(ofKind(objects, 'ConfigMap').map((c) => c.metadata.name));

    const problems: string[] = [];
    const needSecret = (who: string, name: string, key?: string) => {
      const keys = secrets.get(name);
      if (!keys) problems.push(`${who}: Secret ${name} is neither rendered nor synchronised`);
      else if (key && keys !== 'any' && !keys.has(key))
        problems.push(`${who}: Secret ${name} has no key ${key}`);
    };
    for (const [name, template] of podTemplates(objects)) {
      for (const c of template.spec.containers as Obj[]) {
        for (const from of (c.envFrom ?? []) as Obj[]) {
          if (from.secretRef) needSecret(`${name}/${c.name}`, from.secretRef.name);
          if (from.configMapRef && !configMaps.has(from.configMapRef.name))
            problems.push(`${name}/${c.name}: ConfigMap ${from.configMapRef.name} is not rendered`);
        }
        for (const e of (c.env ?? []) as Obj[])
          if (e.valueFrom?.secretKeyRef)
            needSecret(
              `${name}/${c.name} ${e.name}`,
              e.valueFrom.secretKeyRef.name,
              e.valueFrom.secretKeyRef.key,
            );
      }
    }
    for (const role of (find(objects, 'Cluster', 'airline-pg')?.spec.managed?.roles ?? []) as Obj[])
      needSecret(`Cluster/airline-pg role ${role.name}`, role.passwordSecret.name, 'password');
    expect(problems).toEqual([]);
  });

  it('lets only the gateway reach the subgraphs, plus the services that call their internal endpoints', () => {
    const objects = render(overlay);
    const reach = Object.fromEntries(
      SUBGRAPHS.map((s) => [s, callersOf(objects, podOf(s), PORTS[s])]),
    );
    expect(reach).toEqual(Object.fromEntries(SUBGRAPHS.map((s) => [s, [...CALLERS[s]].sort()])));
    // Pods of another namespace are refused, Prometheus (namespace monitoring) may scrape, and
    // the gateway is the public endpoint.
    const elsewhere = { labels: podOf('gateway'), namespace: namespaceLabels('default') };
    const prometheus = { labels: { app: 'prometheus' }, namespace: namespaceLabels('monitoring') };
    const open = (from: Peer) => SERVICES.filter((s) => admits(objects, from, podOf(s), PORTS[s]));
    expect({ reachableFromNamespaceDefault: open(elsewhere) }).toEqual({
      reachableFromNamespaceDefault: ['gateway'],
    });
    expect({ scrapableByPrometheus: open(prometheus) }).toEqual({
      scrapableByPrometheus: SERVICES,
    });
  });

  it('lets only the subgraphs reach the data stores (and the migration Job PostgreSQL)', () => {
    const objects = render(overlay);
    expect(callersOf(objects, POSTGRES_POD, 5432)).toEqual([...SUBGRAPHS, 'migrate'].sort());
    expect(callersOf(objects, RABBITMQ_POD, 5672)).toEqual([...SUBGRAPHS].sort());
    if (overlay === 'local')
      expect(callersOf(objects, podOf('redis'), 6379)).toEqual([...SUBGRAPHS].sort());
  });

  it('runs PostgreSQL through CloudNativePG and RabbitMQ through its operator with quorum queues', () => {
    const objects = render(overlay);
    const pg = find(objects, 'Cluster', 'airline-pg');
    const mq = find(objects, 'RabbitmqCluster', 'airline-mq');
    expect(pg?.apiVersion).toBe('postgresql.cnpg.io/v1');
    expect(mq?.apiVersion).toBe('rabbitmq.com/v1beta1');
    expect(pg!.spec.managed.roles).toEqual([
      expect.objectContaining({ name: 'airline', login: true, createdb: true }),
    ]);
    expect(mq!.spec.rabbitmq.additionalConfig).toMatch(/^default_queue_type = quorum$/m);
    const size = overlay === 'production' ? 3 : 1;
    expect({ postgresInstances: pg!.spec.instances, rabbitmqReplicas: mq!.spec.replicas }).toEqual({
      postgresInstances: size,
      rabbitmqReplicas: size,
    });
  });

  it('runs the migration Job with scripts/migrate.ts on the service image', () => {
    const job = find(render(overlay), 'Job', 'migrate');
    const container = job?.spec.template.spec.containers[0];
    expect(container?.command).toEqual(['node', 'scripts/migrate.ts']);
    expect(container.image).toMatch(
      overlay === 'local' ? /^airline-supergraph:local$/ : /\/airline-migrate:/,
    );
    expect(job!.spec.template.spec.restartPolicy).toBe('Never');
    expect(job!.spec.ttlSecondsAfterFinished).toBeGreaterThan(0);
  });
});

describe('Kubernetes overlays compared', () => {
  const names = (overlay: Overlay, kind: string) =>
    ofKind(render(overlay), kind)
      .map((o) => o.metadata.name)
      .sort();

  it('runs the payment simulator, the notification sinks and an in-cluster Redis in local only', () => {
    expect(names('local', 'Deployment')).toEqual(
      [...SERVICES, 'notification-sinks', 'payment-provider'].sort(),
    );
    expect(names('production', 'Deployment')).toEqual([...SERVICES].sort());
    expect(names('local', 'StatefulSet')).toEqual(['redis']);
    expect(names('production', 'StatefulSet')).toEqual([]);
    const redis = find(render('local'), 'StatefulSet', 'redis')!;
    expect(redis.spec.template.spec.containers[0].command.join(' ')).toContain('--appendonly yes');
    expect(redis.spec.volumeClaimTemplates).toHaveLength(1);
  });

  it('writes placeholder secrets for local only; production synchronises every secret from outside', () => {
    expect(names('local', 'Secret')).toEqual([
      'airline-app',
      'airline-jwt-signing',
      'airline-notification-providers',
      'airline-postgres',
      'airline-redis',
    ]);
    expect(names('production', 'Secret')).toEqual([]);
    expect(names('production', 'ExternalSecret')).toEqual([
      'airline-app',
      'airline-jwt-signing',
      'airline-notification-providers',
      'airline-postgres',
      'airline-redis',
    ]);
    // Only customers holds the token-signing key.
    for (const overlay of OVERLAYS)
      for (const service of SERVICES) {
        const refs = ((containerOf(render(overlay), service).envFrom ?? []) as Obj[]).map(
          (f) => f.secretRef?.name,
        );
        expect({ overlay, service, signingKey: refs.includes('airline-jwt-signing') }).toEqual({
          overlay,
          service,
          signingKey: service === 'customers',
        });
      }
  });

  it('runs production settings in production and points local at the simulators', () => {
    const config = (overlay: Overlay) =>
      ofKind(render(overlay), 'ConfigMap').find((c) =>
        c.metadata.name.startsWith('airline-config'),
      )!.data;
    expect(config('production')).toEqual(
      expect.objectContaining({ NODE_ENV: 'production', TRUST_PROXY: '1' }),
    );
    expect(config('local')).toEqual(
      expect.objectContaining({ PAYMENT_PROVIDER_URL: 'http://payment-provider:4010' }),
    );
  });
});
