// The whole platform as `npm start` runs it, each process a real child process, isolated for one
// chaos run: its own database names, Redis prefix, AMQP names and ports, and every connection to
// PostgreSQL, Redis and RabbitMQ through a fault proxy the scenarios can cut or slow down.
// Optionally several replicas of each subgraph and of the gateway behind round-robins.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, SERVICES, type Config, type ServiceName } from '@airline/shared';
import { cleanupChaosResources } from './chaos-resources.ts';
import { composeSupergraph, readSupergraphConfig } from '../../gateway/src/compose.ts';
import { startRoundRobin, type RoundRobin } from '../../scripts/round-robin.ts';
import { FaultProxy } from './fault-proxy.ts';
import { StackReader } from './invariants.ts';
import { ServiceProcess, type ProcessSpec } from './service-process.ts';

const SUPERGRAPH_YAML = fileURLToPath(new URL('../../supergraph.yaml', import.meta.url));

/** The processes that can be replicated: every subgraph and the gateway. */
export type Replicated = ServiceName | 'gateway';

/** What a chaos stack is started with. */
export interface ChaosStackOptions {
  label: string;
  /** Copies of each subgraph and of the gateway (1: no round-robins). */
  replicas?: number;
  /** Environment for every service on top of the stack's own (timings of the scenarios). */
  env?: Record<string, string>;
}

/** A running chaos stack. */
export interface ChaosStack {
  /** Where the harness itself reads from: the real servers, not the fault proxies. */
  config: Config;
  gatewayUrl: string;
  logDir: string;
  proxies: { postgres: FaultProxy; redis: FaultProxy; rabbitmq: FaultProxy };
  /** The harness's own connections to the stack's databases and broker (for the invariants). */
  reader: StackReader;
  /** The replicas of a subgraph or of the gateway. */
  replicas(name: Replicated): ServiceProcess[];
  stop(): Promise<void>;
}

/** Free TCP ports on the loopback interface (the OS picks them; each is closed before use). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

const hostPort = (url: string, fallback: number) => {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || fallback) };
};

/** Starts the stack; on any failure everything started so far is stopped and cleaned up. */
export async function startChaosStack(options: ChaosStackOptions): Promise<ChaosStack> {
  const replicaCount = options.replicas ?? 1;
  const id = `${options.label
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 10)}_${randomBytes(3).toString('hex')}`;
  const logDir = mkdtempSync(join(tmpdir(), `chaos-${id}-`));
  const direct = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const prefixes = {
    DB_PREFIX: `chaos_${id}_`,
    REDIS_PREFIX: `chaos:${id}:`,
    AMQP_PREFIX: `chaos.${id}.`,
  };
  const proxies = {
    postgres: new FaultProxy('postgres', hostPort(direct.postgresUrl, 5432)),
    redis: new FaultProxy('redis', hostPort(direct.redisUrl, 6379)),
    rabbitmq: new FaultProxy('rabbitmq', hostPort(direct.amqpUrl, 5672)),
  };
  const names: Replicated[] = [...SERVICES, 'gateway'];
  const ports = await freePorts(names.length * (replicaCount + 1) + 3);
  const take = () => ports.pop()!;
  // The address everyone uses for a service: its round-robin, or its one process.
  const front = Object.fromEntries(names.map((n) => [n, take()])) as Record<Replicated, number>;
  const replicaPorts = Object.fromEntries(
    names.map((n) => [
      n,
      replicaCount > 1 ? Array.from({ length: replicaCount }, take) : [front[n]],
    ]),
  ) as Record<Replicated, number[]>;
  const providerPort = take();
  const sinkPorts = { smtp: take(), http: take() };

  const balancers: RoundRobin[] = [];
  const processes = new Map<string, ServiceProcess[]>();
  const all = () => [...processes.values()].flat();
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const harnessConfig = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    ...prefixes,
    PAYMENT_PROVIDER_URL: url(providerPort),
  });
  const reader = new StackReader(harnessConfig);
  // A harness that dies (a CI bound, Ctrl-C) takes its child processes with it.
  const orphans = () => all().forEach((p) => p.killNow());
  process.once('exit', orphans);

  const stop = async () => {
    process.off('exit', orphans);
    // Services first (they may still be writing), then the network under them, then the data.
    await reader.close();
    await Promise.all(all().map((p) => p.stop(10_000)));
    await Promise.all(all().map((p) => p.closeLog()));
    await Promise.all(balancers.map((b) => b.close()));
    await Promise.all(Object.values(proxies).map((p) => p.stop()));
    await cleanupChaosResources(harnessConfig);
  };

  try {
    for (const proxy of Object.values(proxies)) await proxy.start();
    const supergraphFile = join(logDir, 'supergraph.graphql');
    writeFileSync(
      supergraphFile,
      composeSupergraph(
        readSupergraphConfig(
          SUPERGRAPH_YAML,
          Object.fromEntries(SERVICES.map((s) => [s, `${url(front[s])}/graphql`])),
        ),
      ),
    );
    const env: Record<string, string> = {
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      APOLLO_TELEMETRY_DISABLED: '1',
      ...prefixes,
      POSTGRES_URL: `postgres://postgres@127.0.0.1:${proxies.postgres.port}`,
      REDIS_URL: `redis://127.0.0.1:${proxies.redis.port}`,
      AMQP_URL: `amqp://guest:guest@127.0.0.1:${proxies.rabbitmq.port}`,
      GATEWAY_PORT: String(front.gateway),
      CUSTOMERS_PORT: String(front.customers),
      FLIGHTS_PORT: String(front.flights),
      BOOKINGS_PORT: String(front.bookings),
      PAYMENTS_PORT: String(front.payments),
      NOTIFICATIONS_PORT: String(front.notifications),
      PAYMENT_PROVIDER_URL: url(providerPort),
      SMTP_URL: `smtp://127.0.0.1:${sinkPorts.smtp}`,
      SMS_PROVIDER_URL: `${url(sinkPorts.http)}/sms`,
      PUSH_PROVIDER_URL: `${url(sinkPorts.http)}/push`,
      SUPERGRAPH_FILE: supergraphFile,
      FLIGHTS_SEED_DAYS: '0',
      PASSWORD_SCRYPT_LOG_N: '12',
      ...options.env,
    };
    const spec = (
      name: string,
      entry: string,
      port: number,
      extra: Record<string, string>,
      ready = true,
    ): ProcessSpec => ({
      name,
      entry,
      port,
      env: { ...env, ...extra },
      ...(ready ? { readyUrl: `${url(port)}/health/ready` } : {}),
    });
    const outside = [
      spec(
        'provider',
        'payment-provider/src/main.ts',
        providerPort,
        { PAYMENT_PROVIDER_PORT: String(providerPort), PAYMENT_PROVIDER_SLOW_MS: '3000' },
        false,
      ),
      spec(
        'sinks',
        'subgraphs/notifications/src/dev-sinks/main.ts',
        sinkPorts.http,
        { SINK_SMTP_PORT: String(sinkPorts.smtp), SINK_HTTP_PORT: String(sinkPorts.http) },
        false,
      ),
    ];
    const ofService = (name: Replicated) =>
      replicaPorts[name].map((port, i) =>
        spec(
          replicaCount > 1 ? `${name}#${i + 1}` : name,
          name === 'gateway' ? 'gateway/src/main.ts' : `subgraphs/${name}/src/main.ts`,
          port,
          { [`${name.toUpperCase()}_PORT`]: String(port) },
        ),
      );
    const launch = async (specs: ProcessSpec[], group: string) => {
      const started = specs.map((s) => new ServiceProcess(s, logDir));
      processes.set(group, [...(processes.get(group) ?? []), ...started]);
      await Promise.all(started.map((p) => p.start()));
    };
    // The round-robins first: services find each other (and the gateway its subgraphs) through them.
    if (replicaCount > 1) {
      for (const name of names) {
        balancers.push(
          await startRoundRobin({
            port: front[name],
            backends: replicaPorts[name].map((port) => ({ host: '127.0.0.1', port })),
          }),
        );
      }
    }
    await Promise.all(outside.map((s) => launch([s], s.name)));
    // Subgraphs together (each creates and migrates its own database), then the gateway.
    await Promise.all(SERVICES.map((s) => launch(ofService(s), s)));
    await launch(ofService('gateway'), 'gateway');
    return {
      config: harnessConfig,
      gatewayUrl: `${url(front.gateway)}/graphql`,
      logDir,
      proxies,
      reader,
      replicas: (name) => processes.get(name) ?? [],
      stop,
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
