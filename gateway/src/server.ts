import http from 'node:http';
import { readFileSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloGateway, type SupergraphSdlHook } from '@apollo/gateway';
import cors from 'cors';
// The modules the gateway needs, not the @airline/shared barrel: that one loads MikroORM, pg,
// amqplib and ioredis too (about 70 MB of resident memory the gateway never uses).
import { TokenService } from '@airline/shared/auth';
import type { Config } from '@airline/shared/config';
import { formatError, graphqlHttpErrors, graphqlJsonBody } from '@airline/shared/graphql-http';
import { createHttpApp, listen, requestIdOf, type RunningServer } from '@airline/shared/http';
import { createLogger, type Logger } from '@airline/shared/logger';
import { activeSubscriptions } from '@airline/shared/metrics/domain-metrics';
import { graphqlMetricsPlugin } from '@airline/shared/metrics/graphql-metrics';
import { metricsHandler } from '@airline/shared/metrics/registry';
import { queryLimits } from '@airline/shared/query-limits';
import { ServiceTokens } from '@airline/shared/service-auth';
import { traceRequests } from '@airline/shared/tracing/request-spans';
import { ForwardingDataSource, type GatewayContext } from './auth-forwarding.ts';
import { accessLogPlugin } from './access-log.ts';
import { inflightOperations } from './inflight-operations.ts';
import { noReservedAliases } from './reserved-aliases.ts';
import { SubgraphHttp } from './subgraph-fetcher.ts';
import { responseCache } from './response-cache.ts';
import {
  SubscriptionFanout,
  SubscriptionPlanner,
  UpstreamClients,
  serveGatewaySubscriptions,
  subscriptionsNeedWebSocket,
} from './subscriptions/index.ts';

/** Where the gateway gets its supergraph: a file it watches, or a fixed SDL (tests). */
export type SupergraphSource = { file: string } | { sdl: string };

/** Apollo Studio's Sandbox runs in the browser at this origin and calls the gateway directly. */
export const STUDIO_ORIGIN = 'https://studio.apollographql.com';

/** Subgraph URLs named in a supergraph SDL (`@join__graph(name:, url:)`). */
export function subgraphUrls(sdl: string): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const m of sdl.matchAll(/@join__graph\(name:\s*"([^"]+)",\s*url:\s*"([^"]+)"\)/g))
    urls[m[1]!] = m[2]!;
  return urls;
}

/**
 * Serves the supergraph from a file and hot-reloads it when the file changes, so subgraphs can be
 * added or moved by re-running composition without restarting the gateway.
 */
function watchedSupergraph(
  file: string,
  logger: Logger,
  onLoad: (sdl: string) => void,
): SupergraphSdlHook {
  return async ({ update }) => {
    let current = readFileSync(file, 'utf8');
    onLoad(current);
    let timer: NodeJS.Timeout | undefined;
    // Watch the directory, not the file: an atomic rename replaces the file's inode.
    const watcher = watch(dirname(file), (_event, name) => {
      if (name !== basename(file)) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        try {
          const next = readFileSync(file, 'utf8');
          if (next === current || !next.trim()) return;
          update(next);
          current = next;
          onLoad(next);
          logger.info('supergraph reloaded');
        } catch (err) {
          logger.error({ err }, 'supergraph reload failed; keeping the previous one');
        }
      }, 100);
    });
    return {
      supergraphSdl: current,
      cleanup: async () => {
        clearTimeout(timer);
        watcher.close();
      },
    };
  };
}

/** Starts the public endpoint: the federated gateway with CORS, query limits and health. */
export async function startGateway(
  config: Config,
  source: SupergraphSource,
  options: {
    port?: number;
    logger?: Logger;
    subgraphTimeoutMs?: number;
    /** Sees the subscription fan-out (tests read its counts). */
    onSubscriptions?: (fanout: SubscriptionFanout) => void;
  } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config, 'gateway');
  const serviceTokens = new ServiceTokens(config.serviceSecret, 'gateway');
  let subgraphs: Record<string, string> = {};
  const onLoad = (sdl: string) => (subgraphs = subgraphUrls(sdl));
  // One keep-alive pool to the subgraphs, with bounded sockets per subgraph.
  const subgraphHttp = new SubgraphHttp();
  const dataSource = (name: string, url: string) =>
    new ForwardingDataSource({
      http: subgraphHttp,
      name,
      url,
      serviceTokens,
      timeoutMs: options.subgraphTimeoutMs ?? 15_000,
      logger,
    });
  const gateway = new ApolloGateway({
    supergraphSdl:
      'file' in source
        ? watchedSupergraph(source.file, logger, onLoad)
        : (onLoad(source.sdl), source.sdl),
    buildService: ({ name, url }) => dataSource(name, url!),
    // Query plans on request (a header) for development only, whatever NODE_ENV says.
    __exposeQueryPlanExperimental: config.env !== 'production',
  });

  let schemaLoaded = false;
  const app = createHttpApp(
    [
      {
        name: 'supergraph',
        check: async () => {
          if (!schemaLoaded) throw new Error('supergraph not loaded yet');
        },
      },
      {
        name: 'subgraphs',
        check: async () => {
          const down: string[] = [];
          await Promise.all(
            Object.entries(subgraphs).map(async ([sub, url]) => {
              const res = await fetch(new URL('/health/live', url), {
                signal: AbortSignal.timeout(1500),
              }).catch(() => null);
              if (!res?.ok) down.push(sub);
            }),
          );
          if (down.length) throw new Error(`not answering: ${down.join(', ')}`);
        },
      },
    ],
    logger,
  );
  // Behind a load balancer the client address arrives in X-Forwarded-For; only trust it when told.
  if (config.trustProxy !== false) app.set('trust proxy', config.trustProxy);
  const httpServer = http.createServer(app);
  const tokens = new TokenService(config.jwt);
  const limits = queryLimits<GatewayContext>({
    maxDepth: config.maxQueryDepth,
    fieldSuggestions: config.env !== 'production',
  });
  const validationRules = [...limits.validationRules, noReservedAliases];
  // Subscriptions: planned over the same supergraph, re-planned on every reload.
  const upstream = new UpstreamClients(serviceTokens, logger);
  const fanout = new SubscriptionFanout({
    upstream,
    buildDataSource: dataSource,
    formatError: formatError(config),
    logger,
  });
  options.onSubscriptions?.(fanout);
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    try {
      fanout.reload(new SubscriptionPlanner(coreSupergraphSdl));
    } catch (err) {
      logger.error({ err }, 'subscriptions keep the previous supergraph');
    }
  });
  const inflight = inflightOperations();
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginUsageReportingDisabled(),
      config.env === 'production'
        ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, footer: false }),
      ...limits.plugins,
      subscriptionsNeedWebSocket<GatewayContext>(),
      accessLogPlugin(logger),
      graphqlMetricsPlugin<GatewayContext>('gateway'),
      // Whole PUBLIC query responses in Redis, for as long as the subgraphs' Cache-Control allows.
      responseCache(config, logger),
      // Concurrent identical queries share one execution (after the cache: a hit needs none).
      inflight.plugin,
    ],
    stringifyResult: inflight.stringifyResult,
    validationRules,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // runService owns SIGINT/SIGTERM and stops the server itself.
    stopOnTerminationSignals: false,
    introspection: config.env !== 'production',
    includeStacktraceInErrorResponses: config.env === 'development',
    formatError: formatError(config),
  });
  await apollo.start();
  schemaLoaded = true;

  // Prometheus scrapes the gateway like every other process (RED per operation, subgraph fetches).
  app.get(
    '/metrics',
    (_req, _res, next) => {
      // The fan-out knows its clients; reading them at scrape time keeps the gauge exact.
      activeSubscriptions().set({ service: 'gateway' }, fanout.stats().clients);
      next();
    },
    metricsHandler(),
  );
  app.use(
    '/graphql',
    cors({
      origin: [STUDIO_ORIGIN, ...config.web.origins, ...config.corsOrigins],
      credentials: true,
    }),
    ...graphqlJsonBody(),
    traceRequests('gateway'),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const authorization = req.header('authorization');
        // Reject a bad token here, once, with a clear UNAUTHENTICATED; subgraphs check it again.
        await tokens.fromHeader(authorization);
        return {
          authorization,
          requestId: requestIdOf(req),
          clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
        };
      },
    }),
  );
  app.use(graphqlHttpErrors(logger));
  const subscriptions = serveGatewaySubscriptions({
    httpServer,
    path: '/graphql',
    tokens,
    fanout,
    validationRules,
    logger,
  });

  const running = await listen(
    httpServer,
    options.port ?? config.ports.gateway,
    process.env.HOST ?? '127.0.0.1',
    async () => {
      // Upgraded sockets are not HTTP requests: the drain plugin would not close them.
      fanout.dispose();
      await subscriptions.dispose();
      await upstream.dispose();
      await apollo.stop();
      await subgraphHttp.close();
    },
  );
  logger.info({ url: `${running.url}/graphql` }, 'gateway ready');
  return running;
}
