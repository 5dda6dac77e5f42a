import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  asGateway,
  graphql,
  pidListeningOn,
  ratio,
  ROUND_SECONDS,
  rssMb,
  Series,
  timedRound,
  type BenchSettings,
  type Scenario,
  CARD,
} from '../harness.ts';
import { startHive } from './hive.ts';
import { SEARCH, searchDays } from './search.ts';

// Our gateway against Hive Gateway (default settings) on the same composed supergraph, and
// against the flights subgraph directly: the same two operations, in short rounds taken in turn
// (ours, Hive, direct, ours, Hive, ...) so that the machine's noise falls on every side alike.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CONNECTIONS = Number(process.env.BENCH_GATEWAY_CONNECTIONS ?? 32);
const ME = `{ me { bookings { status totalPrice { amount currency }
  flight { number origin { code } destination { code } } payment { status amount { amount currency } } } } }`;

/** One round at CONNECTIONS; a warm-up when no series is given. */
const round = (
  url: string,
  body: string,
  headers: Record<string, string>,
  seconds: number,
  series?: Series,
) => timedRound(url, body, { seconds, connections: CONNECTIONS, headers, series });

/** The answer of one POST, parsed; throws on HTTP errors and GraphQL errors. */
async function answer(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  const parsed = JSON.parse(text) as { data?: unknown; errors?: unknown[] };
  if (!res.ok || parsed.errors?.length || !parsed.data)
    throw new Error(`${url} answered ${res.status}: ${text.slice(0, 500)}`);
  return parsed.data;
}

/** The first path where two JSON values differ, or undefined when they are equal. */
function difference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (
    typeof a !== typeof b ||
    Array.isArray(a) !== Array.isArray(b) ||
    (a === null) !== (b === null)
  )
    return `${path}: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`;
  if (a && typeof a === 'object') {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
    for (const k of keys) {
      const d = difference(x[k], y[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return a === b ? undefined : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

/** A customer of the bench's own with three bookings: two CONFIRMED (paid), one HELD. */
async function customerWithBookings(url: string): Promise<string> {
  const { register } = await graphql<{ register: { token: string } }>(
    url,
    'mutation($i: RegisterInput!) { register(input: $i) { token } }',
    {
      i: {
        email: `bench.gateway.${Date.now()}.${Math.random().toString(36).slice(2, 7)}@example.com`,
        password: 'bench password 1',
        name: 'Bench Gateway',
      },
    },
  );
  const token = register.token;
  const day = searchDays(9, 9);
  let seats: { flightId: string; seat: string }[] = [];
  for (const i of day) {
    const { searchFlights } = await graphql<{
      searchFlights: { id: string; seats: { number: string; status: string }[] }[];
    }>(
      url,
      'query($i: FlightSearchInput!) { searchFlights(input: $i) { id seats(cabin: ECONOMY) { number status } } }',
      { i },
    );
    seats = searchFlights.flatMap((f) =>
      f.seats
        .filter((s) => s.status === 'AVAILABLE')
        .map((s) => ({ flightId: f.id, seat: s.number })),
    );
    if (seats.length >= 3) break;
  }
  if (seats.length < 3) throw new Error('no flight with three free seats: is the schedule seeded?');
  const ids: string[] = [];
  for (const s of seats.slice(0, 3)) {
    const { createBooking } = await graphql<{ createBooking: { id: string } }>(
      url,
      'mutation($i: CreateBookingInput!) { createBooking(input: $i) { id } }',
      {
        i: {
          flightId: s.flightId,
          passengers: [
            { givenName: 'Bench', familyName: 'Gateway', dateOfBirth: '1990-01-01', seat: s.seat },
          ],
        },
      },
      token,
    );
    ids.push(createBooking.id);
  }
  for (const id of ids.slice(0, 2)) {
    await graphql(
      url,
      'mutation($i: PayBookingInput!) { payBooking(input: $i) { status } }',
      { i: { bookingId: id, card: CARD, idempotencyKey: `bench-gateway-${id}` } },
      token,
    );
    for (let n = 0; ; n++) {
      const { booking } = await graphql<{ booking: { status: string } }>(
        url,
        'query($id: ID!) { booking(id: $id) { status } }',
        { id },
        token,
      );
      if (booking.status === 'CONFIRMED') break;
      if (n > 300 || !['HELD', 'PAYMENT_PENDING'].includes(booking.status))
        throw new Error(`bench booking ${id} did not confirm (${booking.status})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return token;
}

export const gatewayScenario: Scenario = {
  name: 'gateway',
  description: `our gateway vs Hive Gateway (defaults) vs flights directly, ${CONNECTIONS} connections, interleaved ${ROUND_SECONDS} s rounds: searchFlights with seat maps, authenticated cross-subgraph me { bookings }`,
  async run(settings: BenchSettings) {
    const supergraphFile = process.env.SUPERGRAPH_FILE ?? `${ROOT}supergraph.graphql`;
    if (!existsSync(supergraphFile))
      throw new Error(`no ${supergraphFile}: run \`npm start\` (or \`npm run compose\`) first`);
    const ours = settings.gatewayUrl;
    const flights = settings.subgraphUrl('flights');
    const gatewayPort = Number(new URL(ours).port || 80);
    const gatewayPid = pidListeningOn(gatewayPort);
    // One search repeated, as a busy route's page is: the full seat map of the day's flight.
    const search = JSON.stringify({ query: SEARCH, variables: { i: searchDays(7, 7)[0] } });
    const token = await customerWithBookings(ours);
    const me = JSON.stringify({ query: ME });
    const auth = { authorization: `Bearer ${token}` };

    const hive = await startHive(supergraphFile, settings.serviceSecret);
    try {
      // Both gateways must give the same answer before their speed means anything.
      const check = async () => {
        const [oursSearch, hiveSearch, directSearch, oursMe, hiveMe] = await Promise.all([
          answer(ours, search, {}),
          answer(hive.url, search, {}),
          answer(flights, search, await asGateway(settings, 'flights')),
          answer(ours, me, auth),
          answer(hive.url, me, auth),
        ]);
        const flightsFound = (oursSearch as { searchFlights: unknown[] }).searchFlights.length;
        if (!flightsFound) throw new Error('the search found no flight: is the schedule seeded?');
        const bookings = (oursMe as { me: { bookings: unknown[] } | null }).me?.bookings.length;
        return {
          search: difference(oursSearch, hiveSearch) ?? 'identical',
          searchDirect: difference(oursSearch, directSearch) ?? 'identical',
          me: difference(oursMe, hiveMe) ?? 'identical',
          searchResponseBytes: JSON.stringify(oursSearch).length,
          meBookings: bookings,
        };
      };
      const before = await check();
      if (before.search !== 'identical' || before.me !== 'identical')
        throw new Error(
          `our gateway and Hive Gateway answer differently: search ${before.search}; me ${before.me}`,
        );

      const rounds = Math.max(2, Math.round(settings.durationSeconds / ROUND_SECONDS));
      const s = {
        ours: new Series('our gateway'),
        hive: new Series('Hive Gateway'),
        direct: new Series('flights subgraph directly'),
      };
      const m = { ours: new Series('our gateway'), hive: new Series('Hive Gateway') };
      // Warm-up, not counted: JIT, connection pools, caches on every side.
      await round(ours, search, {}, 1);
      await round(hive.url, search, {}, 1);
      await round(flights, search, await asGateway(settings, 'flights'), 1);
      for (let r = 0; r < rounds; r++) {
        process.stderr.write(`bench: gateway: search round ${r + 1}/${rounds}\n`);
        await round(ours, search, {}, ROUND_SECONDS, s.ours);
        await round(hive.url, search, {}, ROUND_SECONDS, s.hive);
        await round(flights, search, await asGateway(settings, 'flights'), ROUND_SECONDS, s.direct);
      }
      const gatewayRssMbAfterSearch = rssMb(gatewayPid);
      const hiveRssMbAfterSearch = rssMb(hive.pid);

      await round(ours, me, auth, 1);
      await round(hive.url, me, auth, 1);
      for (let r = 0; r < rounds; r++) {
        process.stderr.write(`bench: gateway: me round ${r + 1}/${rounds}\n`);
        await round(ours, me, auth, ROUND_SECONDS, m.ours);
        await round(hive.url, me, auth, ROUND_SECONDS, m.hive);
      }
      // Still the same answers after the load (nothing broke under it).
      const after = await check();

      const search_ = {
        ours: s.ours.summary(),
        hive: s.hive.summary(),
        direct: s.direct.summary(),
      };
      const me_ = { ours: m.ours.summary(), hive: m.hive.summary() };
      return {
        settings: { connections: CONNECTIONS, roundSeconds: ROUND_SECONDS, rounds },
        hiveVersion: JSON.parse(
          readFileSync(`${ROOT}node_modules/@graphql-hive/gateway/package.json`, 'utf8'),
        ).version as string,
        answers: { before, after },
        search: {
          ...search_,
          oursOverHive: ratio(search_.ours.requestsPerSecond, search_.hive.requestsPerSecond),
          oursOverDirect: ratio(search_.ours.requestsPerSecond, search_.direct.requestsPerSecond),
        },
        me: {
          ...me_,
          oursOverHive: ratio(me_.ours.requestsPerSecond, me_.hive.requestsPerSecond),
        },
        memory: {
          gatewayPid,
          gatewayRssMbAfterSearch,
          hiveRssMbAfterSearch,
          gatewayRssMbAtEnd: rssMb(gatewayPid),
        },
      };
    } catch (err) {
      process.stderr.write(`bench: gateway: Hive Gateway's output:\n${hive.output()}\n`);
      throw err;
    } finally {
      await hive.stop();
    }
  },
};
