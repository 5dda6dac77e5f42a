import http from 'node:http';
import { readFileSync } from 'node:fs';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import cors from 'cors';
import express from 'express';
import { gql } from 'graphql-tag';
import type { GraphQLFormattedError } from 'graphql';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { AuthUser, TokenService } from './auth.ts';
import type { Config, ServiceName } from './config.ts';
import { ErrorCode } from './errors.ts';
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
  /** The caller's own Authorization header, forwarded on calls to other services (zero trust). */
  authorization: string | undefined;
  /** The end user's address as the gateway saw it (subgraphs are only reachable through it). */
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

/** Hides internal details of unexpected errors outside development. */
export function formatError(config: Config) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (
      config.env !== 'development' &&
      (code === ErrorCode.INTERNAL_SERVER_ERROR || code === undefined)
    ) {
      return {
        message: 'Internal server error',
        path: formatted.path,
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
      };
    }
    return formatted;
  };
}

function clientIpOf(req: express.Request): string {
  const forwarded = req.header('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || req.socket.remoteAddress || 'unknown';
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
  const apollo = new ApolloServer<Ctx>({
    schema,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Traces are for Apollo's cloud reporting, which this stack never uses.
      ApolloServerPluginInlineTraceDisabled(),
      errorLogging(logger) as ApolloServerPlugin<Ctx>,
    ],
    formatError: formatError(config),
    includeStacktraceInErrorResponses: config.env === 'development',
    introspection: config.env !== 'production',
    // runService owns SIGINT/SIGTERM so that onStop (consumers, relay, database) runs on shutdown.
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  opts.extraRoutes?.(app);
  app.use(
    '/graphql',
    cors({ origin: config.corsOrigins.length ? config.corsOrigins : false }),
    express.json({ limit: '1mb' }),
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
  const running = await listen(httpServer, opts.port, process.env.HOST ?? '127.0.0.1', async () => {
    await apollo.stop();
    await opts.onStop?.();
  });
  logger.info({ url: `${running.url}/graphql` }, `${opts.name} subgraph ready`);
  return running;
}
