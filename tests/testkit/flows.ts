import type { GraphQLClient } from '@airline/shared/testing';
import type { Config } from '@airline/shared';

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
  totalPrice: { amount: string; currency: string };
  passengers: {
    givenName: string;
    familyName: string;
    seat: string;
    ticketNumber: string | null;
    price: { amount: string };
  }[];
  flight: { id: string; number: string };
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

/** Reads a booking (with its payment, resolved by the payments subgraph). */
export async function readBooking(gw: GraphQLClient, token: string, id: string) {
  const { booking } = await gw.data<{
    booking: BookingView & {
      payment: {
        id: string;
        status: string;
        attempts: number;
        failureReason: string | null;
        refunds: { status: string }[];
      } | null;
    };
  }>(
    `query($id: ID!) { booking(id: $id) { ${BOOKING_FIELDS} payment { id status attempts failureReason refunds { status amount { amount } } } } }`,
    { id },
    { token },
  );
  return booking;
}

/** Polls a booking until its status is one of `statuses` (the saga is asynchronous). */
export async function waitForStatus(
  gw: GraphQLClient,
  token: string,
  id: string,
  statuses: string[],
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const booking = await readBooking(gw, token, id);
    if (statuses.includes(booking.status)) return booking;
    if (Date.now() > deadline)
      throw new Error(`booking ${id} stayed ${booking.status}, wanted ${statuses.join('|')}`);
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

/** Re-reads something asynchronous (the saga's effects) until it satisfies `done`, or times out returning the last value. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}
