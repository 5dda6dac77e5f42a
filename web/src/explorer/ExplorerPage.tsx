// `/explorer`: GraphiQL bundled with the app (no CDN, so it works offline), queries and mutations
// over HTTP and subscriptions over graphql-ws, against the same gateway the app uses. Signed in,
// the headers start with the session's token. Loaded only when opened (Monaco is large).
import './monaco-workers.ts';
import 'graphiql/style.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useSessionContext } from '../auth/session-context.tsx';
import { endpointsFor } from '../config/runtime-config.ts';
import { usePageTitle } from '../pages/page-title.ts';

const DEFAULT_QUERY = `# The supergraph, explored offline.
# Subscriptions run over graphql-ws: run the one
# below with a flight's id, hold a seat on that
# flight in another window, and watch it change.
query Airports {
  airports {
    code
    city
    timeZone
  }
}

# subscription SeatMap($flightId: ID!) {
#   seatMapChanged(flightId: $flightId) {
#     version
#     seats { number status }
#   }
# }
`;

export default function ExplorerPage() {
  usePageTitle('Explorer');
  const { session, config } = useSessionContext();
  const fetcher = useMemo(() => {
    const { httpUrl, wsUrl } = endpointsFor(config, window.location);
    // The headers tab's values also become the WebSocket's connectionParams, so an
    // `Authorization` header there authenticates subscriptions too.
    return createGraphiQLFetcher({ url: httpUrl, subscriptionUrl: wsUrl });
  }, [config]);
  const headers = session
    ? JSON.stringify({ Authorization: `Bearer ${session.token}` }, null, 2)
    : undefined;
  // A link can open the explorer on an operation: /explorer?query=...&variables=...
  const [params] = useSearchParams();
  return (
    <div className="explorer">
      <h1 className="visually-hidden">GraphQL explorer</h1>
      <GraphiQL
        fetcher={fetcher}
        defaultQuery={DEFAULT_QUERY}
        initialQuery={params.get('query') ?? undefined}
        initialVariables={params.get('variables') ?? undefined}
        initialHeaders={headers}
      />
    </div>
  );
}
