import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';

/** What the gateway keeps per request to pass on to subgraphs. */
export interface GatewayContext {
  authorization?: string;
  requestId: string;
  clientIp: string;
}

/**
 * Forwards the caller's token, request id and address to every subgraph: subgraphs verify the
 * token themselves (zero trust between services) and log with the same request id.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({
    request,
    context,
  }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers || !('requestId' in context)) return;
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
    const fallback = await super.errorFromResponse(response);
    const body = (fallback.extensions.response as { body?: unknown } | undefined)?.body;
    const first = (
      body as { errors?: { message?: unknown; extensions?: Record<string, unknown> }[] } | undefined
    )?.errors?.[0];
    if (response.status !== 400 || typeof first?.message !== 'string') return fallback;
    return new GraphQLError(first.message, { extensions: { ...first.extensions } });
  }
}
