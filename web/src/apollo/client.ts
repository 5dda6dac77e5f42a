// One Apollo Client per signed-in identity: queries and mutations over HTTP, subscriptions over
// graphql-ws on the gateway's same /graphql path, split by operation type. The token rides in
// `Authorization: Bearer` over HTTP and in `connectionParams.authorization` over WebSocket.
import { ApolloClient, ApolloLink, HttpLink } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import type { Endpoints } from '../config/runtime-config.ts';
import { createCache } from './cache.ts';

/** A client and what the app needs to manage its live connection. */
export interface AppClient {
  client: ApolloClient;
  /** Called after every (re)connection of the WebSocket; returns the unsubscribe. */
  onLiveConnected: (listener: () => void) => () => void;
  /** Closes the WebSocket and stops the client (on sign-in/out, a new client takes over). */
  dispose: () => void;
}

/**
 * A client for `token` (undefined: anonymous). `onUnauthenticated` runs when the gateway refuses
 * the token (expired or revoked), so the app can sign the person out instead of failing quietly.
 */
export function createAppClient(
  endpoints: Endpoints,
  token: string | undefined,
  onUnauthenticated: () => void,
): AppClient {
  const authorization = token ? `Bearer ${token}` : undefined;
  const connectedListeners = new Set<() => void>();
  const ws = createClient({
    url: endpoints.wsUrl,
    connectionParams: authorization ? { authorization } : {},
    lazy: true,
    // Keep following live updates through a gateway restart or a network blip.
    retryAttempts: Infinity,
    shouldRetry: () => true,
    on: {
      connected: () => {
        for (const listener of connectedListeners) listener();
      },
      closed: (event) => {
        // 4403: the gateway refused the token (or it expired while connected).
        if (token && (event as { code?: number } | undefined)?.code === 4403) onUnauthenticated();
      },
    },
  });
  const http = new HttpLink({
    uri: endpoints.httpUrl,
    headers: authorization ? { authorization } : {},
  });
  const signOutOnRefusedToken = new ErrorLink(({ error }) => {
    if (!token || !CombinedGraphQLErrors.is(error)) return;
    if (error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) onUnauthenticated();
  });
  const link = ApolloLink.split(
    (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
    new GraphQLWsLink(ws),
    ApolloLink.from([signOutOnRefusedToken, http]),
  );
  const client = new ApolloClient({ link, cache: createCache() });
  return {
    client,
    onLiveConnected: (listener) => {
      connectedListeners.add(listener);
      return () => connectedListeners.delete(listener);
    },
    dispose: () => {
      client.stop();
      void ws.dispose();
    },
  };
}
