import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';

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
}
