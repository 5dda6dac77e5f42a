import { GraphQLError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';

/**
 * Answers a subscription sent over HTTP with a 400 and a clear word instead of the gateway's
 * 500 ("Execution of subscriptions not supported by gateway"): subscriptions need graphql-ws.
 */
export function subscriptionsNeedWebSocket<Ctx extends object>(): ApolloServerPlugin<Ctx> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError(
            'Subscriptions are served over WebSocket (graphql-ws, subprotocol graphql-transport-ws) on this same path, not over HTTP',
            { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
          );
        },
      };
    },
  };
}
