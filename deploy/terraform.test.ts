// Static checks of the Terraform under deploy/terraform: the terraform binary cannot be
// installed here (no HashiCorp registry), so `terraform validate` is replaced by parsing every
// file with @cdktf/hcl2json and checking the wiring that validate would: module inputs against
// the module's variables, references to variables, locals, module outputs and resources.
import { describe, expect, it, beforeAll } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@cdktf/hcl2json';
import { CALLERS, PORTS } from './topology.ts';

const root = fileURLToPath(new URL('./terraform/', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

// hcl2json's output: every block type maps names to a list of bodies.
type Body = Record<string, unknown>;
type Blocks = Record<string, Body[]>;
interface Parsed {
  variable?: Blocks;
  output?: Blocks;
  locals?: Body[];
  module?: Blocks;
  resource?: Record<string, Blocks>;
  data?: Record<string, Blocks>;
}

/** One Terraform module: a directory and what its .tf files declare. */
interface Module {
  dir: string;
  files: Record<string, Parsed>;
  variables: Map<string, Body>;
  outputs: Set<string>;
  locals: Set<string>;
  resources: Set<string>;
  data: Set<string>;
}

const modules = new Map<string, Module>();

function tfDirs(dir: string): string[] {
  const subdirs = readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isDirectory() && !path.endsWith('.terraform'));
  const here = readdirSync(dir).some((name) => name.endsWith('.tf')) ? [dir] : [];
  return [...here, ...subdirs.flatMap(tfDirs)];
}

async function load(dir: string): Promise<Module> {
  const module: Module = {
    dir,
    files: {},
    variables: new Map(),
    outputs: new Set(),
    locals: new Set(),
    resources: new Set(),
    data: new Set(),
  };
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.tf'))) {
    const file = join(dir, name);
    let parsed: Parsed;
    try {
      parsed = (await parse(file, readFileSync(file, 'utf8'))) as Parsed;
    } catch (err) {
      throw new Error(`${rel(file)} does not parse as HCL: ${String(err)}`, { cause: err });
    }
    module.files[name] = parsed;
    for (const [v, [body]] of Object.entries(parsed.variable ?? {})) module.variables.set(v, body!);
    for (const o of Object.keys(parsed.output ?? {})) module.outputs.add(o);
    for (const block of parsed.locals ?? [])
      for (const l of Object.keys(block)) module.locals.add(l);
    for (const [type, named] of Object.entries(parsed.resource ?? {}))
      for (const n of Object.keys(named)) module.resources.add(`${type}.${n}`);
    for (const [type, named] of Object.entries(parsed.data ?? {}))
      for (const n of Object.keys(named)) module.data.add(`${type}.${n}`);
  }
  return module;
}

const rel = (path: string) => relative(repo, path);

/** Every string in a parsed file, with where it sits (for messages). */
function strings(node: unknown, path: string[] = []): [string, string][] {
  if (typeof node === 'string') return [[path.join('.'), node]];
  if (Array.isArray(node)) return node.flatMap((n, i) => strings(n, [...path, String(i)]));
  if (node && typeof node === 'object')
    return Object.entries(node).flatMap(([k, v]) => strings(v, [...path, k]));
  return [];
}

/** References of one kind in a module's expressions: [file, where, name]. */
function references(module: Module, pattern: RegExp): [string, string, string][] {
  return Object.entries(module.files).flatMap(([file, parsed]) =>
    strings(parsed)
      .filter(([, value]) => value.includes('${'))
      .flatMap(([where, value]) =>
        [...value.matchAll(pattern)].map((m): [string, string, string] => [file, where, m[1]!]),
      ),
  );
}

// Arguments of a module block that are Terraform's, not the module's variables.
const META_ARGUMENTS = new Set([
  'source',
  'version',
  'providers',
  'depends_on',
  'count',
  'for_each',
]);

beforeAll(async () => {
  for (const dir of tfDirs(root)) modules.set(resolve(dir), await load(dir));
});

describe('Terraform (deploy/terraform)', () => {
  it('has a root module and every module the root calls, each with variables and outputs files', () => {
    const rootModule = modules.get(resolve(root));
    expect(rootModule).toBeDefined();
    const called = Object.values(rootModule!.files).flatMap((f) =>
      Object.values(f.module ?? {}).map(([body]) => String(body!.source)),
    );
    expect(called.length).toBeGreaterThanOrEqual(8);
    for (const dir of modules.keys()) {
      const files = readdirSync(dir);
      for (const needed of ['main.tf', 'variables.tf', 'outputs.tf'])
        if (!files.includes(needed)) throw new Error(`${rel(dir)} has no ${needed}`);
    }
  });

  it('covers the AWS pieces: network, ECS, RDS PostgreSQL, ElastiCache, Amazon MQ, ALB, Secrets Manager, CloudWatch', () => {
    const resources = new Set([...modules.values()].flatMap((m) => [...m.resources]));
    const types = new Set([...resources].map((r) => r.split('.')[0]));
    for (const type of [
      'aws_vpc',
      'aws_subnet',
      'aws_nat_gateway',
      'aws_ecs_cluster',
      'aws_ecs_service',
      'aws_ecs_task_definition',
      'aws_db_instance',
      'aws_elasticache_replication_group',
      'aws_mq_broker',
      'aws_lb',
      'aws_lb_listener',
      'aws_secretsmanager_secret',
      'aws_cloudwatch_log_group',
      'aws_cloudwatch_metric_alarm',
      'aws_appautoscaling_policy',
    ]) {
      if (!types.has(type)) throw new Error(`no ${type} in any module under deploy/terraform`);
    }
  });

  it('passes every module only inputs the module declares, and every input it requires', () => {
    const problems: string[] = [];
    for (const module of modules.values()) {
      for (const [file, parsed] of Object.entries(module.files)) {
        for (const [name, [body]] of Object.entries(parsed.module ?? {})) {
          const source = String(body!.source);
          const callee = modules.get(resolve(module.dir, source));
          const where = `${rel(join(module.dir, file))}: module "${name}"`;
          if (!callee) {
            problems.push(`${where}: source ${source} is not a module directory`);
            continue;
          }
          const passed = Object.keys(body!).filter((k) => !META_ARGUMENTS.has(k));
          for (const input of passed)
            if (!callee.variables.has(input))
              problems.push(
                `${where} passes "${input}", which ${rel(callee.dir)} does not declare`,
              );
          for (const [variable, declaration] of callee.variables)
            if (!('default' in declaration) && !passed.includes(variable))
              problems.push(`${where} does not pass required variable "${variable}"`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('refers only to declared variables, locals, module outputs, resources and data sources', () => {
    const problems: string[] = [];
    for (const module of modules.values()) {
      const here = (file: string, where: string) => `${rel(join(module.dir, file))} (${where})`;
      for (const [file, where, name] of references(module, /\bvar\.([A-Za-z_][\w-]*)/g))
        if (!module.variables.has(name))
          problems.push(`${here(file, where)}: var.${name} is not declared`);
      for (const [file, where, name] of references(module, /\blocal\.([A-Za-z_][\w-]*)/g))
        if (!module.locals.has(name))
          problems.push(`${here(file, where)}: local.${name} is not declared`);
      for (const [file, where, ref] of references(module, /\bmodule\.([\w-]+\.[\w-]+)/g)) {
        const [callName, output] = ref.split('.') as [string, string];
        const call = Object.values(module.files)
          .map((f) => f.module?.[callName]?.[0])
          .find(Boolean);
        const callee = call && modules.get(resolve(module.dir, String(call.source)));
        if (!callee) problems.push(`${here(file, where)}: module.${callName} is not called here`);
        else if (!callee.outputs.has(output))
          problems.push(`${here(file, where)}: module.${callName} has no output "${output}"`);
      }
      for (const [file, where, ref] of references(
        module,
        /(?<![\w.])((?:aws|random|tls)_[a-z0-9_]+\.[a-z0-9_]+)/g,
      ))
        if (!module.resources.has(ref))
          problems.push(`${here(file, where)}: resource ${ref} is not declared`);
      for (const [file, where, ref] of references(module, /\bdata\.([a-z0-9_]+\.[a-z0-9_]+)/g))
        if (!module.data.has(ref))
          problems.push(`${here(file, where)}: data.${ref} is not declared`);
    }
    expect(problems).toEqual([]);
  });

  it('describes every variable and output, and gives every variable a type', () => {
    const problems: string[] = [];
    for (const module of modules.values()) {
      for (const [name, body] of module.variables) {
        if (!body.description)
          problems.push(`${rel(module.dir)}: variable "${name}" has no description`);
        if (!body.type) problems.push(`${rel(module.dir)}: variable "${name}" has no type`);
      }
      for (const parsed of Object.values(module.files))
        for (const [name, [body]] of Object.entries(parsed.output ?? {}))
          if (!body!.description)
            problems.push(`${rel(module.dir)}: output "${name}" has no description`);
    }
    expect(problems).toEqual([]);
  });

  it('lets only the load balancer reach the gateway and only the subgraphs the data stores, as the network policies do', () => {
    const rootModule = modules.get(resolve(root))!;
    const services = (rootModule.files['main.tf']!.locals ?? []).find((l) => l.services)!
      .services as Record<string, { port: number; callers: string[] }>;
    // The same rule the Kubernetes network policies implement (deploy/topology.ts).
    expect(services).toEqual(
      Object.fromEntries(
        Object.entries(PORTS).map(([name, port]) => [
          name,
          { port, callers: name === 'gateway' ? [] : CALLERS[name as keyof typeof CALLERS] },
        ]),
      ),
    );
    const groups = modules.get(resolve(root, 'modules/security_groups'))!;
    const ingress = Object.values(groups.files).flatMap((f) =>
      Object.entries(f.resource?.aws_vpc_security_group_ingress_rule ?? {}),
    );
    // Only the load balancer's own rules admit addresses rather than security groups.
    const open = ingress.filter(([, [body]]) => body!.cidr_ipv4 || body!.cidr_ipv6).map(([n]) => n);
    expect(open.sort()).toEqual(['alb_http', 'alb_https']);
  });
});
