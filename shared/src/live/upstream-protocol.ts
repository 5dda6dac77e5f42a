/**
 * What the gateway sends on its upstream graphql-ws connection to a subgraph. The connection is
 * the gateway's (its service credential in `connection_init`), and one connection carries the
 * subscriptions of many end users, so each `subscribe` names its end user in `extensions`.
 */
export const UpstreamParam = {
  /** `connection_init` payload: the gateway's service credential for this subgraph. */
  GatewayToken: 'gatewayToken',
} as const;

/** Keys of a `subscribe` message's `extensions` that the gateway fills in per operation. */
export const UpstreamExtension = {
  /** The end user's own `Authorization` header (absent: anonymous). */
  Authorization: 'authorization',
  /** The request id of the client subscription, for the subgraph's logs. */
  RequestId: 'requestId',
  /** The end user's address as the gateway saw it. */
  ClientIp: 'clientIp',
} as const;

/** Who a subscription runs for, as the subgraph learns it from the gateway. */
export interface UpstreamIdentity {
  requestId: string;
  authorization: string | undefined;
  clientIp: string;
}
