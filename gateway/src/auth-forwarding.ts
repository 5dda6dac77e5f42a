import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import {
  GraphQLError,
  Kind,
  parse,
  type DocumentNode,
  type GraphQLFormattedError,
  type SelectionSetNode,
} from 'graphql';
import type { Logger } from '@airline/shared/logger';
import { subgraphFetchDuration } from '@airline/shared/metrics/domain-metrics';
import {
  GATEWAY_TOKEN_HEADER,
  type ServiceIdentity,
  type ServiceTokens,
} from '@airline/shared/service-auth';
import { traceHeaders } from '@airline/shared/tracing/propagation';
import {
  SubgraphHttp,
  dedupeQueries,
  isQueryBody,
  type FetcherInit,
  type TextFetcher,
} from './subgraph-fetcher.ts';

/**
 * The code of the error on every path a subgraph that did not answer should have filled: the
 * rest of the response is still there (the fields other subgraphs contribute are nullable where
 * a partial answer is useful).
 */
export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';

/** A subgraph could not be reached, timed out, or answered 502/503/504. */
class SubgraphUnavailableError extends Error {
  override name = 'SubgraphUnavailableError';
}

const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

// undici reports a socket the peer closed as UND_ERR_SOCKET ("other side closed").
const staleSocket = (err: unknown): boolean =>
  ['ECONNRESET', 'UND_ERR_SOCKET'].includes((err as { code?: unknown }).code as string) ||
  /\bECONNRESET\b|socket hang up|other side closed/.test((err as Error).message ?? '');

/** Used by data sources built without their own client (one pool per process). */
let sharedHttp: SubgraphHttp | undefined;

/** What the gateway keeps per request to pass on to subgraphs. */
export interface GatewayContext {
  authorization?: string;
  requestId: string;
  clientIp: string;
}

/** How the gateway reaches one subgraph. */
export interface SubgraphTarget {
  /** The subgraph's name in the supergraph: the audience of the gateway's credential. */
  name: string;
  url: string;
  serviceTokens: ServiceTokens;
  /** A subgraph that has not answered by then fails its part of the plan, not the gateway. */
  timeoutMs: number;
  /** Where an unavailable subgraph is logged, with the internal details clients never see. */
  logger?: Logger;
  /** The keep-alive pool to the subgraphs; the gateway closes it when it stops. */
  http?: SubgraphHttp;
}

const requestIdOf = (init: FetcherInit) => init.headers?.['x-request-id'];

/**
 * Proves the gateway to every subgraph (a service credential addressed to it) and forwards the
 * caller's token, request id and address: subgraphs verify the token themselves and log with
 * the same request id; they believe the address because only the gateway can call them.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly #target: SubgraphTarget;

  constructor(target: SubgraphTarget) {
    super({ url: target.url });
    this.#target = target;
    const http = target.http ?? (sharedHttp ??= new SubgraphHttp());
    // Throws only when no HTTP answer came at all: refused, reset, timed out.
    const send: TextFetcher = async (url, init) => {
      const attempt = () =>
        http.read(url, { ...init, signal: AbortSignal.timeout(target.timeoutMs) });
      try {
        return await attempt().catch((err: unknown) => {
          // A kept-alive socket the subgraph closed as we reused it: the request never ran
          // there, and a query is safe to send once more on a fresh socket.
          if (staleSocket(err) && isQueryBody(init.body)) return attempt();
          throw err;
        });
      } catch (err) {
        throw new SubgraphUnavailableError((err as Error).message, { cause: err });
      }
    };
    this.fetcher = dedupeQueries(send, (leader, waiter) =>
      target.logger?.debug(
        { subgraph: target.name, requestId: requestIdOf(waiter), leader: requestIdOf(leader) },
        'subgraph fetch shared with an identical one in flight',
      ),
    );
  }

  /**
   * A subgraph that does not answer fails only its part of the response: every path it should
   * have filled gets null and an error with code SUBGRAPH_UNAVAILABLE that names the service but
   * not its address, while the other subgraphs' data survives.
   */
  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const stopTimer = subgraphFetchDuration().startTimer({ subgraph: this.#target.name });
    try {
      const response = await super.process(options);
      stopTimer({ outcome: response.errors?.length ? 'error' : 'ok' });
      return response;
    } catch (err) {
      stopTimer({ outcome: err instanceof SubgraphUnavailableError ? 'unavailable' : 'error' });
      if (!(err instanceof SubgraphUnavailableError)) throw err;
      const { name, logger } = this.#target;
      // The address and the cause belong in the log, never in the response.
      if (logger) logger.warn({ err, subgraph: name }, 'subgraph unavailable: its fields are null');
      else if ('incomingRequestContext' in options)
        options.incomingRequestContext.logger.warn(
          `subgraph ${name} unavailable (${err.message}): its fields are null`,
        );
      const document = documentOf(options);
      const message = `The ${name} service is unavailable right now: the fields it provides are missing from this response`;
      const errors: GraphQLFormattedError[] = failedPaths(
        document,
        options.request.variables?.representations,
      ).map((path) => ({
        message,
        ...(path.length ? { path } : {}),
        // The gateway adds `serviceName`; the address stays in the log.
        extensions: { code: SUBGRAPH_UNAVAILABLE },
      }));
      return { errors };
    }
  }

  override async willSendRequest({
    request,
    context,
  }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const headers = request.http?.headers;
    if (!headers) return;
    const { name, serviceTokens } = this.#target;
    headers.set(GATEWAY_TOKEN_HEADER, await serviceTokens.forAudience(name as ServiceIdentity));
    // The subgraph continues the gateway's trace (the HTTP instrumentation, when loaded, sets the same).
    for (const [key, value] of Object.entries(traceHeaders())) headers.set(key, value);
    if (!('requestId' in context)) return;
    if (context.authorization) headers.set('authorization', context.authorization);
    headers.set('x-request-id', context.requestId);
    headers.set('x-forwarded-for', context.clientIp);
  }

  /**
   * A subgraph answers a request it rejects before execution (a Date of 2001-02-30 in a variable)
   * with HTTP 400 and a GraphQL error body; pass that error on as the subgraph worded it instead
   * of the gateway's generic "400: Bad Request".
   */
  override async errorFromResponse(
    response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0],
  ): Promise<GraphQLError> {
    if (UNAVAILABLE_STATUSES.has(response.status))
      throw new SubgraphUnavailableError(`answered ${response.status}`);
    const fallback = await super.errorFromResponse(response);
    const body = (fallback.extensions.response as { body?: unknown } | undefined)?.body;
    const first = (
      body as { errors?: { message?: unknown; extensions?: Record<string, unknown> }[] } | undefined
    )?.errors?.[0];
    if (response.status !== 400 || typeof first?.message !== 'string') return fallback;
    return new GraphQLError(first.message, { extensions: { ...first.extensions } });
  }
}

/** The fetch's operation: the planner's document when it kept one, else its text parsed. */
function documentOf(
  options: GraphQLDataSourceProcessOptions<GatewayContext>,
): DocumentNode | undefined {
  if ('document' in options && options.document) return options.document;
  if (!options.request.query) return undefined;
  try {
    return parse(options.request.query);
  } catch {
    return undefined;
  }
}

/**
 * The paths, relative to the fetch, that a failed fetch leaves empty: for an entity fetch, the
 * first field asked of each representation (`_entities.<i>.<field>`, which the gateway maps onto
 * the entity's place in the response); for a root fetch, each root field.
 */
function failedPaths(
  document: DocumentNode | undefined,
  representations: unknown,
): (string | number)[][] {
  const operation = document?.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const roots = operation ? fieldsOf(operation.selectionSet) : [];
  if (!Array.isArray(representations)) return roots.length ? roots.map((f) => [f.name]) : [[]];
  const entities = roots.find((f) => f.name === '_entities');
  return representations.map((representation: unknown, i) => {
    const typename = (representation as { __typename?: unknown } | null)?.__typename;
    const fragment = entities?.selectionSet?.selections.find(
      (s) => s.kind === Kind.INLINE_FRAGMENT && s.typeCondition?.name.value === typename,
    );
    const field =
      fragment && 'selectionSet' in fragment && fragment.selectionSet
        ? fieldsOf(fragment.selectionSet).find((f) => f.name !== '__typename')
        : undefined;
    return field ? ['_entities', i, field.name] : ['_entities', i];
  });
}

/** The response names of a selection set's fields (aliases first). */
function fieldsOf(
  selectionSet: SelectionSetNode,
): { name: string; selectionSet?: SelectionSetNode }[] {
  return selectionSet.selections.flatMap((s) =>
    s.kind === Kind.FIELD
      ? [
          {
            name: s.alias?.value ?? s.name.value,
            ...(s.selectionSet ? { selectionSet: s.selectionSet } : {}),
          },
        ]
      : [],
  );
}
