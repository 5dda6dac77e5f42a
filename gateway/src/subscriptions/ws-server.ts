import type { IncomingMessage, Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  GraphQLError,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AuthUser, TokenService } from '@airline/shared/auth';
import type { Logger } from '@airline/shared/logger';
import { openWebSockets } from '@airline/shared/metrics/domain-metrics';
import type { ClientSubscription, SubscriptionFanout } from './fanout.ts';

/** What `serveGatewaySubscriptions` needs. */
export interface GatewaySubscriptionOptions {
  httpServer: Server;
  /** Same path as HTTP GraphQL (`/graphql`). */
  path: string;
  tokens: TokenService;
  fanout: SubscriptionFanout;
  /** The same limits as HTTP operations (depth, aliases, cost). */
  validationRules: readonly ValidationRule[];
  logger: Logger;
}

/** One client connection: who it is, as proven by the token it connected with. */
interface Session {
  user: AuthUser | null;
  authorization: string | undefined;
  clientIp: string;
  requestId: string;
  expiry: NodeJS.Timeout | undefined;
}

/** Longest operation text taken (the HTTP path caps tokens; a subscription is small). */
const MAX_QUERY_LENGTH = 20_000;
/** Bytes a socket may have unsent before a client that is behind is disconnected. */
const MAX_BUFFERED_BYTES = 1 << 20;
/** setTimeout's ceiling: a token that lives longer is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const BAD_REQUEST = 'BAD_REQUEST';

/** `exp` of a JWT already verified by the TokenService, in ms (undefined if absent). */
function expiryOf(authorization: string): number | undefined {
  const payload = authorization.replace(/^Bearer\s+/i, '').split('.')[1];
  if (!payload) return undefined;
  const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    exp?: unknown;
  };
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

function authorizationOf(params: Record<string, unknown> | undefined, request: IncomingMessage) {
  const fromParams = params?.authorization ?? params?.Authorization;
  if (typeof fromParams === 'string' && fromParams) return fromParams;
  return request.headers.authorization || undefined;
}

/**
 * The gateway's WebSocket endpoint (graphql-ws, `graphql-transport-ws`) on the HTTP server's
 * GraphQL path. A client authenticates once per connection, with `connectionParams.authorization`
 * or the upgrade request's `Authorization` header; a bad token closes the socket with 4403, and
 * the socket is closed (4403) when the token expires. Subscriptions are validated with the same
 * limits as HTTP and handed to the fan-out; queries and mutations belong on HTTP POST.
 */
export function serveGatewaySubscriptions(options: GatewaySubscriptionOptions): {
  dispose: () => Promise<void>;
} {
  const { fanout, logger } = options;
  const rules = [...specifiedRules, ...options.validationRules];
  const sessions = new WeakMap<object, Session>();
  const checkedDocuments = new DocumentCache(rules);
  const wss = new WebSocketServer({ server: options.httpServer, path: options.path });

  const server = useServer(
    {
      onConnect: async (ctx) => {
        const { socket, request } = ctx.extra;
        const authorization = authorizationOf(ctx.connectionParams, request);
        let user: AuthUser | null;
        try {
          user = await options.tokens.fromHeader(authorization);
        } catch {
          return false;
        }
        const session: Session = {
          user,
          authorization,
          clientIp: request.socket.remoteAddress ?? 'unknown',
          requestId:
            (typeof request.headers['x-request-id'] === 'string' &&
              request.headers['x-request-id']) ||
            randomUUID(),
          expiry: undefined,
        };
        const expiresAt = authorization ? expiryOf(authorization) : undefined;
        if (expiresAt !== undefined) {
          session.expiry = setTimeout(
            () => socket.close(CloseCode.Forbidden, 'Forbidden: token expired'),
            Math.min(Math.max(expiresAt - Date.now(), 0), MAX_TIMER_MS),
          );
          session.expiry.unref();
        }
        sessions.set(ctx, session);
        openWebSockets().inc({ service: 'gateway' });
        return true;
      },
      onClose: (ctx) => {
        const session = sessions.get(ctx);
        if (!session) return;
        clearTimeout(session.expiry);
        openWebSockets().dec({ service: 'gateway' });
      },
      onSubscribe: (ctx, id, payload) => {
        const session = sessions.get(ctx);
        const planner = fanout.planner;
        if (!session || !planner) return [new GraphQLError('Not ready')];
        if (payload.query.length > MAX_QUERY_LENGTH)
          return [badRequest(`Operations are limited to ${MAX_QUERY_LENGTH} characters`)];
        const checked = checkedDocuments.check(planner, payload.query);
        if ('errors' in checked) return checked.errors;
        const { document } = checked;
        const operationName = payload.operationName ?? undefined;
        const operation = getOperationAST(document, operationName);
        if (operation?.operation !== 'subscription')
          return [
            badRequest(
              'Only subscriptions are served over WebSocket; send queries and mutations with HTTP POST',
            ),
          ];
        try {
          planner.plan(document, operationName);
        } catch (err) {
          return [err instanceof GraphQLError ? err : new GraphQLError(String(err))];
        }
        const socket: WebSocket = ctx.extra.socket;
        const subscription: ClientSubscription = {
          document,
          operationName,
          variables: payload.variables ?? {},
          context: {
            authorization: session.authorization,
            requestId: `${session.requestId}:${id}`,
            clientIp: session.clientIp,
          },
          userKey: session.user
            ? `${session.user.id}:${[...session.user.roles].sort().join(',')}`
            : null,
          onBehind: () => {
            // Per subscription the queue is bounded; this bounds the socket's own buffer.
            if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
              logger.warn(
                { buffered: socket.bufferedAmount },
                'disconnecting a client that stopped reading',
              );
              socket.terminate();
            }
          },
        };
        return {
          schema: planner.apiSchema,
          document,
          operationName,
          variableValues: payload.variables,
          contextValue: subscription,
        };
      },
      subscribe: (args) => {
        try {
          // Formatted results, passed through unchanged by onNext below.
          const events = fanout.subscribe(args.contextValue as ClientSubscription);
          return events as unknown as AsyncIterable<ExecutionResult>;
        } catch (err) {
          return { errors: [err instanceof GraphQLError ? err : new GraphQLError(String(err))] };
        }
      },
      // Events arrive resolved and formatted, shared by every client of the same subscription.
      onNext: (_ctx, _id, _payload, _args, result) => result as FormattedExecutionResult,
    },
    wss,
  );
  return {
    dispose: async () => {
      await server.dispose();
    },
  };
}

/** Documents cached per supergraph; a flood of distinct operations clears them, not grows them. */
const DOCUMENT_CACHE_SIZE = 1_000;

/**
 * Parsed and validated operations by their text, for the current supergraph: a thousand clients
 * subscribing to the same seat map cost one parse and one validation (and no garbage each).
 */
class DocumentCache {
  readonly #rules: readonly ValidationRule[];
  #planner: unknown;
  readonly #documents = new Map<
    string,
    { document: DocumentNode } | { errors: readonly GraphQLError[] }
  >();

  constructor(rules: readonly ValidationRule[]) {
    this.#rules = rules;
  }

  check(
    planner: { apiSchema: GraphQLSchema },
    query: string,
  ): { document: DocumentNode } | { errors: readonly GraphQLError[] } {
    if (planner !== this.#planner) {
      this.#documents.clear();
      this.#planner = planner;
    }
    let checked = this.#documents.get(query);
    if (!checked) {
      try {
        const document = parse(query);
        const errors = validate(planner.apiSchema, document, this.#rules);
        checked = errors.length ? { errors } : { document };
      } catch (err) {
        checked = { errors: [err instanceof GraphQLError ? err : new GraphQLError(String(err))] };
      }
      if (this.#documents.size >= DOCUMENT_CACHE_SIZE) this.#documents.clear();
      this.#documents.set(query, checked);
    }
    return checked;
  }
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: BAD_REQUEST } });
}
