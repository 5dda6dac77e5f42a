import type { GraphQLClient } from '@airline/shared/testing';
import {
  AmqpConnection,
  createLogger,
  declareExchanges,
  type Config,
  type Message,
} from '@airline/shared';

/** Cards of the provider simulator (DESIGN §2). */
export const CARDS = {
  approved: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  slowThenApproved: '4000000000000119',
  alwaysDown: '4000000000000259',
} as const;

let seq = 0;

/** A freshly registered customer and their token. */
export async function newCustomer(
  gw: GraphQLClient,
): Promise<{ id: string; token: string; email: string }> {
  const email = `flyer${++seq}.${Date.now()}.${Math.random().toString(36).slice(2, 6)}@example.com`;
  const { register } = await gw.data<{ register: { token: string; customer: { id: string } } }>(
    'mutation($i: RegisterInput!) { register(input: $i) { token customer { id } } }',
    { i: { email, password: 'correct horse 42', name: 'Test Flyer' } },
  );
  return { id: register.customer.id, token: register.token, email };
}

/** The configured agent's token. */
export async function agentToken(gw: GraphQLClient, config: Config): Promise<string> {
  const { login } = await gw.data<{ login: { token: string } }>(
    'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
    { e: config.agent.email, p: config.agent.password },
  );
  return login.token;
}

/** The fields the booking tests look at. */
export const BOOKING_FIELDS = `id reference status holdExpiresAt statusReason
  paymentError { code message }
  totalPrice { amount currency }
  passengers { givenName familyName seat ticketNumber price { amount currency } }
  flight { id number }`;

/** A booking as the tests read it. */
export interface BookingView {
  id: string;
  reference: string;
  status: string;
  holdExpiresAt: string | null;
  statusReason: string | null;
  /** Why the latest payment failed, while it is the booking's news. */
  paymentError: { code: string; message: string } | null;
  totalPrice: { amount: string; currency: string };
  passengers: {
    givenName: string;
    familyName: string;
    seat: string;
    ticketNumber: string | null;
    price: { amount: string };
  }[];
  // Nullable in the schema (null when the flights service cannot answer); the outage suite reads
  // its own shape, every other suite runs with flights up.
  flight: { id: string; number: string };
}

/** A payment of a booking as the tests read it (resolved by the payments subgraph). */
export interface PaymentView {
  id: string;
  status: string;
  attempts: number;
  failureReason: string | null;
  refunds: { status: string; amount: { amount: string } }[];
}

/** A passenger on a booking request. */
export const passenger = (seat: string, givenName = 'Ada') => ({
  givenName,
  familyName: 'Lovelace',
  dateOfBirth: '1985-06-01',
  seat,
});

/** Sends createBooking; returns the raw response (errors included). */
export function createBooking(
  gw: GraphQLClient,
  token: string,
  flightId: string,
  seats: string[],
  idempotencyKey?: string,
) {
  return gw.request<{ createBooking: BookingView }>(
    `mutation($i: CreateBookingInput!) { createBooking(input: $i) { ${BOOKING_FIELDS} } }`,
    {
      i: {
        flightId,
        passengers: seats.map((s, i) => passenger(s, `P${i}`)),
        ...(idempotencyKey ? { idempotencyKey } : {}),
      },
    },
    { token },
  );
}

/** Sends payBooking with a test card; returns the raw response. */
export function payBooking(
  gw: GraphQLClient,
  token: string,
  bookingId: string,
  card: string,
  idempotencyKey = `pay-${bookingId}`,
) {
  return gw.request<{ payBooking: BookingView }>(
    `mutation($i: PayBookingInput!) { payBooking(input: $i) { ${BOOKING_FIELDS} } }`,
    {
      i: {
        bookingId,
        idempotencyKey,
        card: {
          number: card,
          expMonth: 12,
          expYear: new Date().getUTCFullYear() + 2,
          cvc: '123',
          holderName: 'Ada Lovelace',
        },
      },
    },
    { token },
  );
}

const PAYMENT_FIELDS = 'id status attempts failureReason refunds { status amount { amount } }';

/** A booking as the tests read it, with its payments (latest, and all of them newest first). */
export type BookingWithPayments = BookingView & {
  payment: PaymentView | null;
  payments: PaymentView[] | null;
};

/** Reads a booking (with its payments, resolved by the payments subgraph). */
export async function readBooking(
  gw: GraphQLClient,
  token: string,
  id: string,
): Promise<BookingWithPayments> {
  const { booking } = await gw.data<{ booking: BookingWithPayments }>(
    `query($id: ID!) { booking(id: $id) { ${BOOKING_FIELDS}
      payment { ${PAYMENT_FIELDS} } payments { ${PAYMENT_FIELDS} } } }`,
    { id },
    { token },
  );
  return booking;
}

/** Polls a booking until its status is one of `statuses` (the saga is asynchronous). */
export function waitForStatus(
  gw: GraphQLClient,
  token: string,
  id: string,
  statuses: string[],
  timeoutMs = 20_000,
): Promise<BookingWithPayments> {
  return waitForBooking(
    gw,
    token,
    id,
    (b) => statuses.includes(b.status),
    `status ${statuses.join('|')}`,
    timeoutMs,
  );
}

/** A booking back in HELD after a failed payment, its failure shown: payable again. */
export const heldAfterFailure = (b: BookingView): boolean =>
  b.status === 'HELD' && b.paymentError !== null;

/** Polls a booking until `done` holds; fails loudly with what it last saw at the deadline. */
export async function waitForBooking(
  gw: GraphQLClient,
  token: string,
  id: string,
  done: (booking: BookingWithPayments) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<BookingWithPayments> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const booking = await readBooking(gw, token, id);
    if (done(booking)) return booking;
    if (Date.now() > deadline) {
      const seen = { status: booking.status, paymentError: booking.paymentError };
      throw new Error(`booking ${id} never reached ${what}; last seen ${JSON.stringify(seen)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

let flightSeq = 0;

/**
 * Schedules a flight of its own for one test (as airline staff would), so tests never compete
 * for seats: a random future day and a unique number.
 */
export async function freshFlight(
  gw: GraphQLClient,
  agent: string,
  aircraft = 'A320',
): Promise<string> {
  const day = 20 + Math.floor(Math.random() * 60);
  const departure = new Date(Date.now() + day * 86_400_000);
  departure.setUTCHours(8 + (++flightSeq % 12), Math.floor(Math.random() * 12) * 5, 0, 0);
  const number = `AS${7000 + Math.floor(Math.random() * 2999)}`;
  const { scheduleFlight } = await gw.data<{ scheduleFlight: { id: string } }>(
    'mutation($i: ScheduleFlightInput!) { scheduleFlight(input: $i) { id } }',
    {
      i: {
        number,
        origin: 'JFK',
        destination: 'BOS',
        departureTime: departure.toISOString(),
        aircraft,
      },
    },
    { token: agent },
  );
  return scheduleFlight.id;
}

/** The status of some seats of a flight, as the seat map shows them. */
export async function seatStatuses(
  gw: GraphQLClient,
  flightId: string,
  seats: string[],
): Promise<Record<string, string>> {
  const { flight } = await gw.data<{ flight: { seats: { number: string; status: string }[] } }>(
    'query($id: ID!) { flight(id: $id) { seats { number status } } }',
    { id: flightId },
  );
  return Object.fromEntries(
    flight.seats.filter((s) => seats.includes(s.number)).map((s) => [s.number, s.status]),
  );
}

/**
 * Re-reads something asynchronous (the saga's effects) until it satisfies `done`; fails loudly
 * with the last value it read when it still does not after `timeoutMs`.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms; last read ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

/**
 * Watches some seats of a flight on its seat map until stopped, recording every status each one
 * was seen in (to prove what never happened in between, e.g. a seat released mid-payment).
 */
export function watchSeats(
  gw: GraphQLClient,
  flightId: string,
  seats: string[],
): { stop: () => Promise<Record<string, string[]>> } {
  const seen: Record<string, Set<string>> = Object.fromEntries(seats.map((s) => [s, new Set()]));
  let watching = true;
  const loop = (async () => {
    while (watching) {
      const now = await seatStatuses(gw, flightId, seats);
      for (const [seat, status] of Object.entries(now)) seen[seat]!.add(status);
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  return {
    stop: async () => {
      watching = false;
      await loop;
      return Object.fromEntries(Object.entries(seen).map(([s, set]) => [s, [...set].sort()]));
    },
  };
}

/** The provider simulator's own records of the charges made for a payment (its reference). */
export async function providerCharges(
  config: Config,
  paymentId: string,
): Promise<{ status: string; amount: number; currency: string; amountRefunded: number }[]> {
  const res = await fetch(
    new URL(`/v1/charges?reference=${encodeURIComponent(paymentId)}`, config.paymentProviderUrl),
  );
  if (!res.ok) throw new Error(`payment provider answered ${res.status}`);
  return ((await res.json()) as { data: Awaited<ReturnType<typeof providerCharges>> }).data;
}

/** The provider simulator's counters. */
export async function providerStats(config: Config): Promise<{
  charges: { requests: number; succeeded: number };
  refunds: { requests: number; succeeded: number };
  succeededByReference: Record<string, number>;
}> {
  const res = await fetch(new URL('/v1/stats', config.paymentProviderUrl));
  if (!res.ok) throw new Error(`payment provider answered ${res.status}`);
  return (await res.json()) as Awaited<ReturnType<typeof providerStats>>;
}

/**
 * Records what a stack's services publish on some exchanges and routing keys (logical names, e.g.
 * `{ exchange: 'booking.events', routingKey: '#' }`) from now on; `close` removes the tap.
 */
export async function tapMessages(
  config: Config,
  bindings: { exchange: string; routingKey: string }[],
): Promise<{ messages: Message[]; close: () => Promise<void> }> {
  const amqp = await AmqpConnection.connect(config, createLogger(config, 'e2e-tap'), {
    name: 'e2e-tap',
  });
  const messages: Message[] = [];
  const channel = await amqp.adminChannel();
  await declareExchanges(channel, amqp.prefix);
  // Exclusive: the broker deletes it with the connection.
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  for (const b of bindings) await channel.bindQueue(queue, amqp.name(b.exchange), b.routingKey);
  await channel.consume(
    queue,
    (msg) => {
      if (msg) messages.push(JSON.parse(msg.content.toString('utf8')) as Message);
    },
    { noAck: true },
  );
  return { messages, close: () => amqp.close() };
}
