import http from 'node:http';
import { readFileSync } from 'node:fs';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import cors from 'cors';
import type express from 'express';
import { gql } from 'graphql-tag';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { AuthUser, TokenService } from './auth.ts';
import type { Config, ServiceName } from './config.ts';
import { ErrorCode } from './errors.ts';
import {
  formatError,
  graphqlHttpErrors,
  graphqlJsonBody,
  sendGraphQLError,
} from './graphql-http.ts';
import { queryLimits } from './query-limits.ts';
import { GATEWAY_TOKEN_HEADER, ServiceTokens } from './service-auth.ts';
import { serveSubscriptions } from './live/subgraph-ws.ts';
import { metricsHandler } from './metrics/registry.ts';
import { graphqlMetricsPlugin } from './metrics/graphql-metrics.ts';
import { traceRequests } from './tracing/request-spans.ts';
import {
  createHttpApp,
  listen,
  requestIdOf,
  type ReadinessCheck,
  type RunningServer,
} from './http.ts';
import type { Logger } from './logger.ts';

/** What every resolver of every subgraph gets: who calls, a request-scoped EntityManager, a logger. */
export interface BaseContext {
  requestId: string;
  user: AuthUser | null;
  /** The caller's own Authorization header as the gateway forwarded it. */
  authorization: string | undefined;
  /** The end user's address as the gateway saw it (subgraphs accept requests only from it). */
  clientIp: string;
  em: EntityManager;
  log: Logger;
}

/** How a subgraph is described to `startSubgraph`. */
export interface SubgraphOptions<Ctx extends BaseContext> {
  name: ServiceName;
  /** The subgraph's public contract, e.g. `new URL('../schema.graphql', import.meta.url)`. */
  schemaFile: URL;
  /** The codegen-typed resolver map of the subgraph. */
  resolvers: object;
  config: Config;
  logger: Logger;
  orm: MikroORM;
  tokens: TokenService;
  port: number;
  /** Adds request-scoped pieces (DataLoaders, services) to the base context. */
  buildContext: (base: BaseContext) => Ctx;
  readiness: ReadinessCheck[];
  /** Extra routes mounted before GraphQL (internal endpoints). */
  extraRoutes?: (app: express.Express) => void;
  onStop?: () => Promise<void>;
}

/** Reads a subgraph's SDL file. */
export function loadSchemaFile(file: URL): string {
  return readFileSync(file, 'utf8');
}

/** Logs server-side failures once, with the request id, and keeps client mistakes quiet. */
function errorLogging(logger: Logger): ApolloServerPlugin<BaseContext> {
  const clientCodes = new Set<string>(
    Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR),
  );
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const err of errors) {
            const code = err.extensions?.code;
            if (
              typeof code === 'string' &&
              (clientCodes.has(code) || code.startsWith('GRAPHQL_') || code === 'BAD_REQUEST')
            )
              continue;
            logger.error(
              { err: err.originalError ?? err, requestId: contextValue.requestId, path: err.path },
              'resolver failed',
            );
          }
        },
      };
    },
  };
}

/** The gateway puts the end user's address it determined in X-Forwarded-For; only it can call us. */
function clientIpOf(req: express.Request): string {
  const forwarded = req.header('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || req.socket.remoteAddress || 'unknown';
}

/**
 * Refuses a GraphQL request that does not carry the gateway's service credential: clients reach
 * subgraphs only through the gateway, which applies authentication, limits and throttles first.
 */
function gatewayOnly(serviceTokens: ServiceTokens): express.RequestHandler {
  return async (req, res, next) => {
    if (req.method === 'OPTIONS') return next();
    try {
      await serviceTokens.verify(req.header(GATEWAY_TOKEN_HEADER) ?? '', ['gateway']);
      next();
    } catch {
      sendGraphQLError(
        res,
        401,
        'This subgraph accepts requests only through the gateway',
        ErrorCode.UNAUTHENTICATED,
      );
    }
  };
}

/** Starts one subgraph: Apollo Server on Express, health endpoints, request-scoped context. */
export async function startSubgraph<Ctx extends BaseContext>(
  opts: SubgraphOptions<Ctx>,
): Promise<RunningServer> {
  const { config, logger } = opts;
  const app = createHttpApp(opts.readiness, logger);
  const httpServer = http.createServer(app);
  const schema = buildSubgraphSchema({
    typeDefs: gql(loadSchemaFile(opts.schemaFile)),
    // Codegen's resolver types are checked against the schema in each subgraph; Apollo's map is looser.
    resolvers: opts.resolvers as GraphQLResolverMap<unknown>,
  });
  // One level deeper than the gateway's limit: its entity fetches add `_entities` on top.
  const limits = queryLimits<Ctx>({
    maxDepth: config.maxQueryDepth + 1,
    fieldSuggestions: config.env !== 'production',
  });
  const apollo = new ApolloServer<Ctx>({
    schema,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Traces are for Apollo's cloud reporting, which this stack never uses.
      ApolloServerPluginInlineTraceDisabled(),
      errorLogging(logger) as ApolloServerPlugin<Ctx>,
      graphqlMetricsPlugin<Ctx>(opts.name),
      ...limits.plugins,
    ],
    validationRules: limits.validationRules,
    // Persisted queries are the gateway's business; a hash alone must not reach a subgraph.
    persistedQueries: false,
    formatError: formatError(config),
    includeStacktraceInErrorResponses: config.env === 'development',
    introspection: config.env !== 'production',
    // runService owns SIGINT/SIGTERM so that onStop (consumers, relay, database) runs on shutdown.
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  // Prometheus scrapes subgraphs on their internal address (the gateway does not route here).
  app.get('/metrics', metricsHandler());
  const serviceTokens = new ServiceTokens(config.serviceSecret, opts.name);
  app.use('/graphql', gatewayOnly(serviceTokens));
  opts.extraRoutes?.(app);
  app.use(
    '/graphql',
    cors({ origin: config.corsOrigins.length ? config.corsOrigins : false }),
    ...graphqlJsonBody(),
    traceRequests(opts.name),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = requestIdOf(req);
        const user = await opts.tokens.fromHeader(req.header('authorization'));
        return opts.buildContext({
          requestId,
          user,
          authorization: req.header('authorization'),
          clientIp: clientIpOf(req),
          em: opts.orm.em.fork(),
          log: logger.child({ requestId }),
        });
      },
    }),
  );
  app.use(graphqlHttpErrors(logger));
  // Subscription fields are served over graphql-ws on the same path, to the gateway only.
  const live = schema.getSubscriptionType()
    ? serveSubscriptions({
        httpServer,
        path: '/graphql',
        schema,
        serviceTokens,
        tokens: opts.tokens,
        validationRules: limits.validationRules,
        logger,
        contextFor: (identity) =>
          opts.buildContext({
            ...identity,
            em: opts.orm.em.fork(),
            log: logger.child({ requestId: identity.requestId }),
          }),
      })
    : undefined;
  const running = await listen(httpServer, opts.port, process.env.HOST ?? '127.0.0.1', async () => {
    // Upgraded sockets are not HTTP requests: the drain plugin would wait for them forever.
    await live?.dispose();
    await apollo.stop();
    await opts.onStop?.();
  });
  logger.info({ url: `${running.url}/graphql` }, `${opts.name} subgraph ready`);
  return running;
}
