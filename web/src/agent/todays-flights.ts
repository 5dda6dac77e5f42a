// An agent's list of a day's departures from one airport. The contract has no "flights of a day"
// query: this asks for the airport's destinations, then searches each route that day (a few at
// a time, as flights' search has a bulkhead), and merges the results by departure time.
import type { ApolloClient } from '@apollo/client';
import type { SearchFlightsQuery as SearchResult } from '../__generated__/graphql.ts';
import { DestinationsQuery, SearchFlightsQuery } from '../graphql/flights.ts';

/** One departure as the agent's list shows it. */
export type AgentFlight = SearchResult['searchFlights'][number];

const AT_ONCE = 4;

/** Runs `work` over `items`, `limit` at a time, keeping the results' order. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The departures from `origin` on `date` (its local day), earliest first. */
export async function departuresOf(
  client: ApolloClient,
  origin: string,
  date: string,
): Promise<AgentFlight[]> {
  const { data } = await client.query({
    query: DestinationsQuery,
    variables: { origin },
    fetchPolicy: 'network-only',
  });
  const destinations = data?.airport?.destinations ?? [];
  const lists = await mapLimited(destinations, AT_ONCE, async (destination) => {
    const result = await client.query({
      query: SearchFlightsQuery,
      variables: {
        input: { origin, destination: destination.code, date, passengers: 1 },
        cabin: null,
      },
      fetchPolicy: 'network-only',
    });
    return result.data?.searchFlights ?? [];
  });
  return lists.flat().sort((a, b) => Date.parse(a.departureTime) - Date.parse(b.departureTime));
}
