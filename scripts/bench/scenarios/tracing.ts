import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startChaosStack } from '../../../tests/chaos/chaos-stack.ts';
import { graphql, measureGraphQL, type BenchSettings, type Scenario } from '../harness.ts';

// Tracing's price: the same stack started twice as real processes (as `npm start` runs them),
// once without and once with the OpenTelemetry preload exporting every span to a local OTLP
// receiver, and the same two series measured on each: a search through the gateway and seat
// holds (createBooking, each request a different free seat).

const PRELOAD = fileURLToPath(new URL('../../../shared/src/tracing/preload.ts', import.meta.url));
const SEARCH = `query($i: FlightSearchInput!) { searchFlights(input: $i) {
  id number departureTime seats { number status price { amount currency } } } }`;
const CREATE = 'mutation($i: CreateBookingInput!) { createBooking(input: $i) { id status } }';
// Holds are what is measured here, not the limits that protect a real stack from one client.
const UNLIMITED = {
  RATE_LIMIT_BOOKINGS_PER_IP_PER_MINUTE: '100000000',
  RATE_LIMIT_BOOKINGS_PER_CUSTOMER_PER_MINUTE: '100000000',
  MAX_LIVE_HOLDS_PER_CUSTOMER: '100000000',
  FLIGHTS_SEED_DAYS: '3',
};

/** An OTLP/HTTP receiver that accepts and counts what it is sent (spans are not decoded). */
async function otlpSink(): Promise<{ url: string; requests: () => number; close: () => void }> {
  let requests = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => server.close(),
  };
}

async function measure(gatewayUrl: string, settings: BenchSettings) {
  const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const search = {
    query: SEARCH,
    variables: { i: { origin: 'LHR', destination: 'JFK', date: day } },
  };
  const { searchFlights } = await graphql<{
    searchFlights: { id: string; seats: { number: string; status: string }[] }[];
  }>(gatewayUrl, search.query, search.variables);
  const { register } = await graphql<{ register: { token: string } }>(
    gatewayUrl,
    'mutation($i: RegisterInput!) { register(input: $i) { token } }',
    { i: { email: `trace.${Date.now()}@example.com`, password: 'bench password 1', name: 'B' } },
  );
  const bodies = searchFlights.flatMap((f) =>
    f.seats
      .filter((s) => s.status === 'AVAILABLE')
      .map((s) =>
        JSON.stringify({
          query: CREATE,
          variables: {
            i: {
              flightId: f.id,
              passengers: [
                {
                  givenName: 'Bench',
                  familyName: 'User',
                  dateOfBirth: '1990-01-01',
                  seat: s.number,
                },
              ],
            },
          },
        }),
      ),
  );
  const searchSeries = await measureGraphQL(
    'searchFlights with seats',
    gatewayUrl,
    search,
    settings,
  );
  let next = 0;
  const result = await autocannon({
    url: gatewayUrl,
    method: 'POST',
    connections: settings.connections,
    // Each free seat once: the series ends when they run out or the time is up.
    amount: bodies.length,
    duration: settings.durationSeconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${register.token}` },
    requests: [{ setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length]! }) }],
  });
  return {
    search: searchSeries,
    holds: {
      name: 'createBooking holds, one free seat each',
      requestsPerSecond: Math.round(result.requests.average),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      requests: next,
      non2xx: result.non2xx,
    },
  };
}

/** RPS with tracing off vs on, for search and seat holds (starts its own stacks; needs none). */
export const tracingScenario: Scenario = {
  name: 'tracing',
  standalone: true,
  description: 'tracing overhead: the same stack without and with OpenTelemetry, search and holds',
  async run(settings) {
    const sink = await otlpSink();
    const arms: Record<string, Awaited<ReturnType<typeof measure>>> = {};
    try {
      for (const [arm, env] of [
        ['off', UNLIMITED],
        [
          'on',
          {
            ...UNLIMITED,
            NODE_OPTIONS: `--import ${PRELOAD}`,
            OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
          },
        ],
      ] as const) {
        const stack = await startChaosStack({ label: `bench-tracing-${arm}`, env });
        try {
          arms[arm] = await measure(`${stack.gatewayUrl}/graphql`, settings);
        } finally {
          await stack.stop();
        }
      }
    } finally {
      sink.close();
    }
    const ratio = (on: number, off: number) => +(on / Math.max(1, off)).toFixed(2);
    return {
      off: arms.off,
      on: arms.on,
      otlpExportRequests: sink.requests(),
      throughputWithTracingOverWithout: {
        search: ratio(arms.on!.search.requestsPerSecond, arms.off!.search.requestsPerSecond),
        holds: ratio(arms.on!.holds.requestsPerSecond, arms.off!.holds.requestsPerSecond),
      },
    };
  },
};
