import { SignJWT } from 'jose';
import { CARDS, createBooking, freshFlight, newCustomer, payBooking } from '../testkit/flows.ts';
import { LiveClient } from '../testkit/live-client.ts';
import { useBookingStack } from '../testkit/stack.ts';

// Short holds so that expiry shows up within a test; payments settle well inside them.
const suite = useBookingStack('subbookings', { SEAT_HOLD_TTL_SECONDS: '5' });

interface StatusEvent {
  bookingStatusChanged: {
    id: string;
    status: string;
    payment: { status: string } | null;
    flight: { id: string; number: string; gate: string | null };
  };
}

const BOOKING_STATUS = `subscription($id: ID!) {
  bookingStatusChanged(bookingId: $id) { id status payment { status } flight { id number gate } }
}`;

const SEAT_MAP = `subscription($id: ID!) {
  seatMapChanged(flightId: $id) { version seats { number status } }
}`;

type SeatEvent = {
  seatMapChanged: { version: number; seats: { number: string; status: string }[] };
};
const seat = (e: SeatEvent, n: string) =>
  e.seatMapChanged.seats.find((s) => s.number === n)?.status;

const clients: LiveClient[] = [];
const connect = (token?: string, options?: { header?: boolean }) => {
  const client = new LiveClient(suite.stack.gatewayUrl, token, options);
  clients.push(client);
  return client;
};
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

test('the owner follows a booking from HELD through PAYMENT_PENDING to CONFIRMED, with payment and flight resolved by their subgraphs', async () => {
  const flightId = await freshFlight(suite.gw, suite.agent);
  const me = await newCustomer(suite.gw);
  const booking = (await createBooking(suite.gw, me.token, flightId, ['8A'])).data!.createBooking;
  const watch = await connect(me.token).subscribe<StatusEvent>(BOOKING_STATUS, { id: booking.id });
  const start = await watch.next();
  expect(start.bookingStatusChanged).toMatchObject({
    id: booking.id,
    status: 'HELD',
    payment: null,
    flight: { id: flightId, number: booking.flight.number },
  });

  await payBooking(suite.gw, me.token, booking.id, CARDS.approved);
  await watch.next((e) => e.bookingStatusChanged.status === 'PAYMENT_PENDING');
  const confirmed = await watch.next((e) => e.bookingStatusChanged.status === 'CONFIRMED');
  expect(confirmed.bookingStatusChanged.payment).toEqual({ status: 'SUCCEEDED' });
  expect(confirmed.bookingStatusChanged.flight.number).toBe(booking.flight.number);
  expect(watch.events.map((e) => e.data?.bookingStatusChanged.status)).toEqual([
    'HELD',
    'PAYMENT_PENDING',
    'CONFIRMED',
  ]);

  await suite.gw.data(
    'mutation($id: ID!) { cancelBooking(id: $id) { status } }',
    { id: booking.id },
    { token: me.token },
  );
  await watch.next((e) => e.bookingStatusChanged.status === 'CANCELLED');
  expect(await watch.ended).toEqual({ kind: 'complete' });
});

test("a stranger cannot watch someone else's booking (NOT_FOUND), an agent can, a guest must log in", async () => {
  const flightId = await freshFlight(suite.gw, suite.agent);
  const owner = await newCustomer(suite.gw);
  const stranger = await newCustomer(suite.gw);
  const { id } = (await createBooking(suite.gw, owner.token, flightId, ['9C'])).data!.createBooking;

  const refused = await connect(stranger.token).subscribe(BOOKING_STATUS, { id });
  await refused.ended;
  expect(refused.events[0]?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  expect(refused.events[0]?.data ?? null).toBeNull();

  const guest = await connect().subscribe(BOOKING_STATUS, { id });
  await guest.ended;
  expect(guest.events[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

  const agent = await connect(suite.agent).subscribe<StatusEvent>(BOOKING_STATUS, { id });
  expect((await agent.next()).bookingStatusChanged.status).toBe('HELD');
});

test('an unpaid hold expires: the booking stream ends EXPIRED and the seat map shows the seat free', async () => {
  const flightId = await freshFlight(suite.gw, suite.agent);
  const me = await newCustomer(suite.gw);
  const seats = await connect().subscribe<SeatEvent>(SEAT_MAP, { id: flightId });
  await seats.next();
  const { id } = (await createBooking(suite.gw, me.token, flightId, ['11F'])).data!.createBooking;
  const watch = await connect(me.token, { header: true }).subscribe<StatusEvent>(BOOKING_STATUS, {
    id,
  });
  await seats.next((e) => seat(e, '11F') === 'HELD');
  await watch.next((e) => e.bookingStatusChanged.status === 'EXPIRED', { timeoutMs: 15_000 });
  expect(await watch.ended).toEqual({ kind: 'complete' });
  await seats.next((e) => seat(e, '11F') === 'AVAILABLE', {
    from: seats.events.length - 1,
    timeoutMs: 10_000,
  });
});

test('a booked seat shows BOOKED live; a declined payment shows its FAILED payment and frees the seat once the booking fails', async () => {
  const flightId = await freshFlight(suite.gw, suite.agent);
  const seats = await connect().subscribe<SeatEvent>(SEAT_MAP, { id: flightId });
  await seats.next();
  const me = await newCustomer(suite.gw);
  const paid = (await createBooking(suite.gw, me.token, flightId, ['15A'])).data!.createBooking;
  const declined = (await createBooking(suite.gw, me.token, flightId, ['15B'])).data!.createBooking;
  const watch = await connect(me.token).subscribe<StatusEvent>(BOOKING_STATUS, {
    id: declined.id,
  });
  await watch.next();
  await payBooking(suite.gw, me.token, paid.id, CARDS.approved);
  await payBooking(suite.gw, me.token, declined.id, CARDS.declined);
  await seats.next((e) => seat(e, '15A') === 'BOOKED');
  await watch.next((e) => e.bookingStatusChanged.status === 'PAYMENT_PENDING');
  // Back to HELD while attempts remain, or PAYMENT_FAILED (the saga's rule), never silently.
  const after = await watch.next(
    (e) => ['HELD', 'PAYMENT_FAILED'].includes(e.bookingStatusChanged.status),
    { from: 1 },
  );
  expect(after.bookingStatusChanged.payment).toEqual({ status: 'FAILED' });
  expect(watch.events.filter((e) => e.data?.bookingStatusChanged.status === 'HELD')).toHaveLength(
    after.bookingStatusChanged.status === 'HELD' ? 2 : 1,
  );
  if (after.bookingStatusChanged.status === 'PAYMENT_FAILED') {
    expect(await watch.ended).toEqual({ kind: 'complete' });
    await seats.next((e) => seat(e, '15B') === 'AVAILABLE', { from: 1 });
  }
});

test('a subscription sent over HTTP gets a 400 that says to use WebSocket', async () => {
  const res = await fetch(`${suite.stack.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: SEAT_MAP, variables: { id: 'x' } }),
  });
  expect(res.status).toBe(400);
  const body = (await res.json()) as {
    errors: { message: string; extensions: { code: string } }[];
  };
  expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
  expect(body.errors[0]!.message).toMatch(/WebSocket/);
});

test('a bad token is refused with close code 4403', async () => {
  const client = connect('not-a-token');
  const watch = await client.subscribe(SEAT_MAP, { id: 'x' });
  const end = await watch.ended;
  expect(end.kind).toBe('error');
  expect(client.closes[0]?.code).toBe(4403);
});

test('the socket is closed with 4403 when the token it connected with expires', async () => {
  const me = await newCustomer(suite.gw);
  const { jwt } = suite.stack.config;
  // A token like the customer's, minted to lapse in two seconds.
  const shortLived = await new SignJWT({ roles: ['CUSTOMER'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(me.id)
    .setIssuer(jwt.issuer)
    .setAudience(jwt.audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + 2)
    .sign(new TextEncoder().encode(jwt.secret!));
  const flightId = await freshFlight(suite.gw, suite.agent);
  const client = connect(shortLived);
  const watch = await client.subscribe<SeatEvent>(SEAT_MAP, { id: flightId });
  await watch.next();
  expect((await watch.ended).kind).toBe('error');
  expect(client.closes[0]).toEqual({ code: 4403, reason: 'Forbidden: token expired' });
});
