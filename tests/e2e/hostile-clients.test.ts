// Attacks replayed against a running stack, as an attacker would send them: straight at the
// subgraphs' own ports and through the gateway. Each test asserts the refusal, its code, and
// that nothing changed: the booking, its seats, and the provider simulator's own records.
import { SignJWT } from 'jose';
import {
  errorCodes,
  gatewayHeaders,
  subgraphClient,
  type GraphQLResponse,
} from '@airline/shared/testing';
import { useBookingStack } from '../testkit/stack.ts';
import {
  CARDS,
  createBooking,
  freshFlight,
  newCustomer,
  readBooking,
  seatStatuses,
} from '../testkit/flows.ts';

// TRUST_PROXY stays off: the gateway must ignore what clients write in X-Forwarded-For.
const LOGINS_PER_ADDRESS = 10;
const suite = useBookingStack('hostile', {
  RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: String(LOGINS_PER_ADDRESS),
});

const subgraphUrl = (name: string) => suite.stack.subgraphs[name]!.url;

async function providerStats(): Promise<{ charges: { requests: number } }> {
  const res = await fetch(new URL('/v1/stats', suite.stack.config.paymentProviderUrl));
  return (await res.json()) as { charges: { requests: number } };
}

/** A customer with a HELD booking of two seats on a fresh flight. */
async function heldBooking() {
  const flightId = await freshFlight(suite.gw, suite.agent);
  const owner = await newCustomer(suite.gw);
  const held = await createBooking(suite.gw, owner.token, flightId, ['12A', '12B']);
  const booking = held.data!.createBooking;
  return { flightId, owner, booking };
}

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    text: await res.text(),
  };
}

const card = (number: string | number = CARDS.approved) => ({
  number,
  expMonth: 12,
  expYear: new Date().getUTCFullYear() + 2,
  cvc: '123',
  holderName: 'Mallory',
});

describe('forged payments never confirm a booking', () => {
  test("a customer's own token on payments' internal endpoint, paying 0.01 for their booking, is 401 and changes nothing", async () => {
    const { flightId, owner, booking } = await heldBooking();
    const before = await providerStats();
    const reply = await post(
      `${subgraphUrl('payments')}/internal/payments`,
      JSON.stringify({
        bookingId: booking.id,
        customerId: owner.id,
        amount: { amountMinor: 1, currency: booking.totalPrice.currency },
        card: card(),
        idempotencyKey: 'cheap-flight',
      }),
      { authorization: `Bearer ${owner.token}` },
    );
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.text).error.code).toBe('UNAUTHENTICATED');
    expect((await readBooking(suite.gw, owner.token, booking.id)).status).toBe('HELD');
    expect(await seatStatuses(suite.gw, flightId, ['12A', '12B'])).toEqual({
      '12A': 'HELD',
      '12B': 'HELD',
    });
    expect((await providerStats()).charges.requests).toBe(before.charges.requests);
  });

  test("another customer's booking with a declined card: 401, the victim's booking and seats untouched", async () => {
    const { flightId, owner, booking } = await heldBooking();
    const mallory = await newCustomer(suite.gw);
    const before = await providerStats();
    for (const token of [mallory.token, suite.agent]) {
      const reply = await post(
        `${subgraphUrl('payments')}/internal/payments`,
        JSON.stringify({
          bookingId: booking.id,
          customerId: owner.id,
          amount: { amountMinor: 1, currency: 'USD' },
          card: card(CARDS.declined),
          idempotencyKey: `grief-${token.slice(-6)}`,
        }),
        { authorization: `Bearer ${token}` },
      );
      expect(reply.status).toBe(401);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect((await readBooking(suite.gw, owner.token, booking.id)).status).toBe('HELD');
    expect(await seatStatuses(suite.gw, flightId, ['12A', '12B'])).toEqual({
      '12A': 'HELD',
      '12B': 'HELD',
    });
    expect((await providerStats()).charges.requests).toBe(before.charges.requests);
  });

  test("flights' internal seat quotes refuse an end user's token", async () => {
    const { flightId, owner } = await heldBooking();
    const reply = await post(
      `${subgraphUrl('flights')}/internal/seat-quotes`,
      JSON.stringify({ flightId, seats: ['1A'] }),
      { authorization: `Bearer ${owner.token}` },
    );
    expect(reply.status).toBe(401);
  });
});

describe('subgraphs answer only the gateway', () => {
  /** Booking -> customer -> bookings -> customer ...: 2 levels per turn, `turns` times. */
  const deep = (turns: number) =>
    `{ booking(id: "x") { ${'customer { bookings { '.repeat(turns)}id${' } }'.repeat(turns)} } }`;
  const aliases = (n: number) =>
    `{ ${Array.from({ length: n }, (_, i) => `a${i}: airports { code }`).join(' ')} }`;

  test.each([
    ['bookings', 'a depth-42 operation', () => deep(20)],
    ['flights', '500 aliases', () => aliases(500)],
    ['customers', 'a plain query', () => '{ me { id } }'],
  ])(
    '%s refuses %s sent straight to its port: 401 UNAUTHENTICATED, not executed',
    async (name, _what, query) => {
      const reply = await post(`${subgraphUrl(name)}/graphql`, JSON.stringify({ query: query() }));
      expect(reply.status).toBe(401);
      expect(reply.type).toMatch(/json/);
      expect(errorCodes(JSON.parse(reply.text) as GraphQLResponse)).toEqual(['UNAUTHENTICATED']);
    },
  );

  test('login sent straight to customers with a forged X-Forwarded-For is refused, never throttled per fake address', async () => {
    for (const forwarded of ['203.0.113.1', '203.0.113.2']) {
      const reply = await post(
        `${subgraphUrl('customers')}/graphql`,
        JSON.stringify({
          query: 'mutation { login(email: "a@example.com", password: "guess-guess") { token } }',
        }),
        { 'x-forwarded-for': forwarded },
      );
      expect(reply.status).toBe(401);
    }
  });

  test('even with the gateway credential, a subgraph applies the same limits (defence in depth)', async () => {
    const bookings = subgraphClient(
      suite.stack.config,
      'bookings',
      `${subgraphUrl('bookings')}/graphql`,
    );
    const tooDeep = await bookings.request(deep(20));
    expect(new Set(errorCodes(tooDeep))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
    expect(tooDeep.errors?.map((e) => e.message)).toContainEqual(
      expect.stringMatching(/^Operation rejected: Query depth limit of \d+/),
    );
    expect(tooDeep.data ?? null).toBeNull();
    const flights = subgraphClient(
      suite.stack.config,
      'flights',
      `${subgraphUrl('flights')}/graphql`,
    );
    const flood = await flights.request(aliases(500));
    expect(flood.errors?.[0]?.message).toMatch(/Operation rejected: .*[Aa]liases limit/);
    expect(flood.data ?? null).toBeNull();
  });

  test('a persisted-query hash alone is not served by a subgraph, so it cannot slip past the search bulkhead', async () => {
    const headers = await gatewayHeaders(suite.stack.config, 'flights')();
    const reply = await post(
      `${subgraphUrl('flights')}/graphql`,
      JSON.stringify({
        extensions: {
          persistedQuery: {
            version: 1,
            sha256Hash: 'ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38',
          },
        },
        variables: { input: { origin: 'JFK', destination: 'BOS', date: '2030-01-01' } },
      }),
      headers,
    );
    expect(errorCodes(JSON.parse(reply.text) as GraphQLResponse)).toEqual([
      'PERSISTED_QUERY_NOT_SUPPORTED',
    ]);
  });
});

describe('every bad request gets a GraphQL-shaped JSON error, never an HTML page', () => {
  const gatewayGraphql = () => `${suite.stack.gatewayUrl}/graphql`;

  test.each([
    ['malformed JSON', '{"query": "{ airports { code } "', {}, 400, /not valid JSON/],
    [
      'a 2 MB body',
      JSON.stringify({ query: `{ airports { code } }${' '.repeat(2_000_000)}` }),
      {},
      413,
      /larger than/,
    ],
    [
      'a text/plain body',
      '{ airports { code } }',
      { 'content-type': 'text/plain' },
      415,
      /application\/json/,
    ],
  ])('%s', async (_what, body, headers, status, message) => {
    for (const url of [gatewayGraphql(), `${subgraphUrl('flights')}/graphql`]) {
      const extra = url.startsWith(suite.stack.gatewayUrl)
        ? headers
        : { ...headers, ...(await gatewayHeaders(suite.stack.config, 'flights')()) };
      const reply = await post(url, body, extra);
      expect(reply.status).toBe(status);
      expect(reply.type).toMatch(/application\/json/);
      expect(reply.text).not.toMatch(/<html|<pre>|at .*\.js:\d+/i);
      const parsed = JSON.parse(reply.text) as GraphQLResponse;
      expect(errorCodes(parsed)).toEqual(['BAD_REQUEST']);
      expect(parsed.errors?.[0]?.message).toMatch(message);
    }
  });

  test('query limits name the limit, not a "Syntax Error"', async () => {
    const res = await suite.gw.request(
      `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: airports { code }`).join(' ')} }`,
    );
    expect(res.errors?.[0]?.message).toMatch(/^Operation rejected: .*limit/);
  });

  test('a card number sent as a JSON number is never echoed back', async () => {
    const { owner, booking } = await heldBooking();
    const res = await suite.gw.request(
      `mutation($input: PayBookingInput!) { payBooking(input: $input) { status } }`,
      {
        input: { bookingId: booking.id, card: card(4242424242424242), idempotencyKey: 'numeric' },
      },
      { token: owner.token },
    );
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(res)).not.toMatch(/4242/);
    expect((await readBooking(suite.gw, owner.token, booking.id)).status).toBe('HELD');
  });

  test('readiness tells anonymous callers which dependency is down, not its error', async () => {
    const res = await fetch(`${suite.stack.gatewayUrl}/health/ready`);
    const body = (await res.json()) as { checks: Record<string, unknown>[] };
    for (const check of body.checks) expect(Object.keys(check).sort()).toEqual(['name', 'ok']);
  });
});

describe('throttles cannot be dodged', () => {
  test('a new X-Forwarded-For on every login does not reset the per-address throttle', async () => {
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < LOGINS_PER_ADDRESS + 2; i++) {
      const res = await suite.gw.request(
        'mutation($e: String!) { login(email: $e, password: "guess-guess-1") { token } }',
        { e: `nobody${i}@example.com` },
        { headers: { 'x-forwarded-for': `198.51.100.${i}` } },
      );
      codes.push(...errorCodes(res));
    }
    expect(codes).toContain('RATE_LIMITED');
    expect(codes.filter((c) => c !== 'RATE_LIMITED' && c !== 'UNAUTHENTICATED')).toEqual([]);
  });
});

describe('tokens', () => {
  test('a token without an expiry, signed with the right key, is UNAUTHENTICATED', async () => {
    const { jwt } = suite.stack.config;
    const forever = await new SignJWT({ roles: ['AGENT'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('00000000-0000-0000-0000-000000000001')
      .setIssuer(jwt.issuer)
      .setAudience(jwt.audience)
      .sign(new TextEncoder().encode(jwt.secret));
    const res = await suite.gw.request('{ me { id } }', {}, { token: forever });
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });
});
