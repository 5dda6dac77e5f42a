// Federated subscriptions at the gateway: planning (Apollo's query planner), upstream graphql-ws
// connections to subgraphs, the shared fan-out, and the client-facing WebSocket endpoint.
export { SubscriptionPlanner, PUBLIC_TAG, type SubscriptionPlan } from './subscription-planner.ts';
export { UpstreamClients } from './upstream-clients.ts';
export {
  SubscriptionFanout,
  CLIENT_QUEUE_CAPACITY,
  type ClientSubscription,
  type FanoutStats,
} from './fanout.ts';
export { serveGatewaySubscriptions } from './ws-server.ts';
export { subscriptionsNeedWebSocket } from './http-guard.ts';
export { mergeResults } from './merge-results.ts';
