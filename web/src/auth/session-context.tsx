// The session and the Apollo Client that goes with it. Signing in or out replaces the client (and
// its cache and WebSocket), so nothing one person saw stays in memory for the next, and the live
// connection always carries the current token.
import { ApolloProvider } from '@apollo/client/react';
import { useQuery } from '@apollo/client/react';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { CustomerFieldsFragment } from '../__generated__/graphql.ts';
import { createAppClient, type AppClient } from '../apollo/client.ts';
import type { Endpoints, RuntimeConfig } from '../config/runtime-config.ts';
import { MeQuery } from '../graphql/customers.ts';
import { readSession, SESSION_KEY, writeSession, type Session } from './session.ts';

interface SessionValue {
  session: Session | null;
  signIn: (session: Session) => void;
  signOut: () => void;
  /** Registers for every (re)connection of the live WebSocket. */
  onLiveConnected: AppClient['onLiveConnected'];
  config: RuntimeConfig;
}

const SessionContext = createContext<SessionValue | null>(null);

/** Provides the session, the runtime configuration and the matching Apollo Client. */
export function SessionProvider({
  config,
  endpoints,
  children,
}: {
  config: RuntimeConfig;
  endpoints: Endpoints;
  children: ReactNode;
}) {
  const current = useRef<{ token: string | undefined; app: AppClient } | null>(null);
  const [session, setSession] = useState<Session | null>(() => readSession(localStorage));

  const change = useCallback((next: Session | null) => {
    writeSession(localStorage, next);
    setSession(next);
  }, []);

  // The client for the session's token, made once per token (a ref, not state: StrictMode's
  // double rendering must not open two WebSockets), the previous one closed.
  const token = session?.token;
  if (current.current === null || current.current.token !== token) {
    current.current?.app.dispose();
    const app = createAppClient(endpoints, token, () => {
      // Only the client of the token that was refused signs out (a stale one stays quiet).
      if (current.current?.token === token) change(null);
    });
    current.current = { token, app };
  }
  const app = current.current.app;

  // Another tab signed in or out: follow it.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === SESSION_KEY) setSession(readSession(localStorage));
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  const value = useMemo<SessionValue>(
    () => ({
      session,
      signIn: (s) => change(s),
      signOut: () => change(null),
      onLiveConnected: app.onLiveConnected,
      config,
    }),
    [session, change, app, config],
  );
  return (
    <SessionContext.Provider value={value}>
      <ApolloProvider client={app.client}>{children}</ApolloProvider>
    </SessionContext.Provider>
  );
}

/** The session context (throws outside SessionProvider: a wiring mistake). */
export function useSessionContext(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSessionContext outside SessionProvider');
  return value;
}

/** The signed-in account (null when anonymous) and whether it is still being read. */
export function useMe(): { me: CustomerFieldsFragment | null; loading: boolean } {
  const { session } = useSessionContext();
  const { data, loading } = useQuery(MeQuery, { skip: !session });
  return { me: session ? (data?.me ?? null) : null, loading: !!session && loading };
}
