import autocannon from 'autocannon';
import { ROUTES } from '../../../subgraphs/flights/src/domain/routes.ts';
import {
  asGateway,
  asService,
  graphql,
  type BenchSettings,
  type Measurement,
  type Scenario,
} from '../harness.ts';

/** searchFlights with the full nested seat map (every cabin, features and prices). */
export const SEARCH = `query($i: FlightSearchInput!) { searchFlights(input: $i) {
  id number departureTime arrivalTime status availableSeats fare { amount currency }
  seats { number status features price { amount currency } }
} }`;
const LISTING = `query($i: FlightSearchInput!) { searchFlights(input: $i) {
  id seats(cabin: ECONOMY) { number status }
} }`;

/** The input of one search. */
export type SearchDay = { origin: string; destination: string; date: string };

/** The date `days` days from today (UTC), YYYY-MM-DD. */
export const dayAhead = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Every route flown once a day, on every day from `from` to `to` days out (by default 2 to 28),
 * interleaved so consecutive searches differ: about 3,900 different search days by default,
 * each answered with one flight.
 */
export function searchDays(from = 2, to = 28): SearchDay[] {
  const routes = ROUTES.filter((r) => r.dailyFrequency === 1);
  const out: SearchDay[] = [];
  for (let d = from; d <= to; d++)
    for (const r of routes)
      out.push({ origin: r.origin, destination: r.destination, date: dayAhead(d) });
  return out;
}

/**
 * POSTs the bodies in turn, one per request (autocannon's setupRequest). Past the first pass
 * through the list a request may find what an earlier one cached: `distinctRequests` says how
 * many were different.
 */
export async function measureRotating(
  name: string,
  url: string,
  bodies: string[],
  settings: BenchSettings,
  headers: Record<string, string> = {},
  connections = settings.connections,
): Promise<Measurement & { requests: number; distinctRequests: number }> {
  let next = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: settings.durationSeconds,
    headers: { 'content-type': 'application/json', ...headers },
    requests: [{ setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length]! }) }],
  });
  return {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: next,
    distinctRequests: Math.min(next, bodies.length),
  };
}

const ratio = (a: Measurement, b: Measurement) =>
  +(a.requestsPerSecond / Math.max(1, b.requestsPerSecond)).toFixed(2);

/**
 * searchFlights with the full nested seat map, through the gateway vs the flights subgraph
 * directly, on cache misses (every route and day in turn) and cache hits (30 warmed-up search
 * days); then seat quotes (the booking path) alone and while cold searches saturate flights
 * (the bulkhead).
 */
export const searchScenario: Scenario = {
  name: 'search',
  description:
    'searchFlights with nested seats: gateway vs subgraph, cold vs cached; seat quotes under search load',
  async run(settings) {
    const flightsUrl = settings.subgraphUrl('flights');
    const quotesUrl = flightsUrl.replace(/\/graphql$/, '/internal/seat-quotes');
    const days = searchDays();
    const body = (query: string, i: SearchDay) => JSON.stringify({ query, variables: { i } });
    // Disjoint slices: no cold run finds what an earlier run cached.
    const slice = (from: number, to: number) =>
      days
        .slice(Math.floor(from * days.length), Math.floor(to * days.length))
        .map((i) => body(SEARCH, i));
    // Cached runs cycle through 30 search days of the same mix, warmed up just before.
    const warm = days.slice(0, 30);
    const direct = () => asGateway(settings, 'flights');
    const warmUp = async () => {
      const headers = await direct();
      for (const i of warm) await graphql(flightsUrl, LISTING, { i }, undefined, headers);
    };
    const { searchFlights } = await graphql<{
      searchFlights: { id: string; seats: { number: string; status: string }[] }[];
    }>(flightsUrl, LISTING, { i: warm[0] }, undefined, await direct());
    const [flight] = searchFlights;
    if (!flight) throw new Error('no flight found: is the schedule seeded?');
    // Two free economy seats, as a customer about to hold them would have them quoted.
    const seats = flight.seats.filter((s) => s.status === 'AVAILABLE').map((s) => s.number);

    const gatewayCold = await measureRotating(
      'gateway, cache misses',
      settings.gatewayUrl,
      slice(0.01, 0.4),
      settings,
    );
    const directCold = await measureRotating(
      'flights subgraph, cache misses',
      flightsUrl,
      slice(0.4, 0.8),
      settings,
      await direct(),
    );
    await warmUp();
    const gatewayCached = await measureRotating(
      'gateway, cached',
      settings.gatewayUrl,
      warm.map((i) => body(SEARCH, i)),
      settings,
    );
    await warmUp();
    const directCached = await measureRotating(
      'flights subgraph, cached',
      flightsUrl,
      warm.map((i) => body(SEARCH, i)),
      settings,
      await direct(),
    );
    // The bulkhead: seat quotes (write pool, no search slot) while cold searches hammer flights.
    // Bookings' own service credential, as the booking path sends it.
    const auth = await asService(settings, 'bookings', 'flights');
    const quote = [JSON.stringify({ flightId: flight.id, seats: seats.slice(0, 2) })];
    const quotesAlone = await measureRotating(
      'seat quotes alone',
      quotesUrl,
      quote,
      settings,
      auth,
      2,
    );
    const [quotesUnderLoad, searchLoad] = await Promise.all([
      measureRotating('seat quotes during search load', quotesUrl, quote, settings, auth, 2),
      measureRotating(
        'cold search load (direct)',
        flightsUrl,
        slice(0.8, 1),
        settings,
        await direct(),
      ),
    ]);

    return {
      search: { gatewayCold, directCold, gatewayCached, directCached },
      cacheSpeedup: {
        gateway: ratio(gatewayCached, gatewayCold),
        direct: ratio(directCached, directCold),
      },
      gatewayThroughputRatio: {
        cold: ratio(gatewayCold, directCold),
        cached: ratio(gatewayCached, directCached),
      },
      bulkhead: { quotesAlone, quotesUnderLoad, searchLoad },
    };
  },
};
