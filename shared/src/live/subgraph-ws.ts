import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  GraphQLError,
  execute,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { AuthUser, TokenService } from '../auth.ts';
import type { Logger } from '../logger.ts';
import type { ServiceTokens } from '../service-auth.ts';
import { subscribePerEvent } from './per-event-execution.ts';
import { UpstreamExtension, UpstreamParam, type UpstreamIdentity } from './upstream-protocol.ts';

/** Who a subgraph subscription runs for: the gateway's identity of it plus the verified user. */
export interface SubscriberIdentity extends UpstreamIdentity {
  user: AuthUser | null;
}

/** What `serveSubscriptions` needs from the subgraph. */
export interface SubgraphSubscriptionOptions {
  httpServer: Server;
  /** The GraphQL path; the same as HTTP's (`/graphql`). */
  path: string;
  schema: GraphQLSchema;
  /** Verifies the gateway's credential on every connection. */
  serviceTokens: ServiceTokens;
  /** Verifies the end user's token on every subscription. */
  tokens: TokenService;
  /** The context of one execution (one event) for this subscriber. */
  contextFor: (identity: SubscriberIdentity) => unknown;
  validationRules?: readonly ValidationRule[];
  logger: Logger;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/**
 * Serves a subgraph's `Subscription` fields over graphql-ws on its HTTP server, to the gateway
 * only: a connection without a valid gateway credential is closed (4403) before any operation.
 * Each subscription is authorised as the end user the gateway names in its `extensions`, and
 * each event executes with a fresh context.
 */
export function serveSubscriptions(options: SubgraphSubscriptionOptions): {
  dispose: () => Promise<void>;
} {
  const { schema, logger } = options;
  const rules = [...specifiedRules, ...(options.validationRules ?? [])];
  const wss = new WebSocketServer({ server: options.httpServer, path: options.path });
  const server = useServer(
    {
      schema,
      onConnect: async (ctx) => {
        const token = text(ctx.connectionParams?.[UpstreamParam.GatewayToken]) ?? '';
        try {
          await options.serviceTokens.verify(token, ['gateway']);
          return true;
        } catch {
          logger.warn('subscription connection without a valid gateway credential refused');
          return false;
        }
      },
      onSubscribe: async (_ctx, _id, payload) => {
        const extensions = payload.extensions ?? {};
        const authorization = text(extensions[UpstreamExtension.Authorization]);
        let user: AuthUser | null;
        let document: DocumentNode;
        try {
          user = await options.tokens.fromHeader(authorization);
          document = parse(payload.query);
        } catch (err) {
          return [err instanceof GraphQLError ? err : new GraphQLError(String(err))];
        }
        const errors = validate(schema, document, rules);
        if (errors.length) return errors;
        const identity: SubscriberIdentity = {
          requestId: text(extensions[UpstreamExtension.RequestId]) ?? randomUUID(),
          clientIp: text(extensions[UpstreamExtension.ClientIp]) ?? 'unknown',
          authorization,
          user,
        };
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: identity,
        };
      },
      subscribe: (args) => subscribePerEvent(args, options.contextFor),
      // The gateway sends only subscriptions here; anything else still gets a full context.
      execute: (args) =>
        execute({
          ...args,
          contextValue: options.contextFor(args.contextValue as SubscriberIdentity),
        }),
    },
    wss,
  );
  return {
    dispose: async () => {
      await server.dispose();
    },
  };
}
