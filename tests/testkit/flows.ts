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
export async function newCustomer(gw: GraphQLClient): Promise<{ id: string; token: string; email: string }> {
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
  passengers: { givenName: string; familyName: string; seat: string; ticketNumber: string | null; price: { amount: string } }[];
  flight: { id: string; number: string };
}

/** A passenger on a booking request. */
export const passenger = (seat: string, givenName = 'Ada') => ({ givenName, familyName: 'Lovelace', dateOfBirth: '1985-06-01', seat });

/** Sends createBooking; returns the raw response (errors included). */
export function createBooking(gw: GraphQLClient, token: string, flightId: string, seats: string[], idempotencyKey?: string) {
  return gw.request<{ createBooking: BookingView }>(
    `mutation($i: CreateBookingInput!) { createBooking(input: $i) { ${BOOKING_FIELDS} } }`,
    { i: { flightId, passengers: seats.map((s, i) => passenger(s, `P${i}`)), ...(idempotencyKey ? { idempotencyKey } : {}) } },
    { token },
  );
}

/** Sends payBooking with a test card; returns the raw response. */
export function payBooking(gw: GraphQLClient, token: string, bookingId: string, card: string, idempotencyKey = `pay-${bookingId}`) {
  return gw.request<{ payBooking: BookingView }>(
    `mutation($i: PayBookingInput!) { payBooking(input: $i) { ${BOOKING_FIELDS} } }`,
    {
      i: {
        bookingId,
        idempotencyKey,
        card: { number: card, expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123', holderName: 'Ada Lovelace' },
      },
    },
    { token },
  );
}

/** Reads a booking (with its payment, resolved by the payments subgraph). */
export async function readBooking(gw: GraphQLClient, token: string, id: string) {
  const { booking } = await gw.data<{ booking: BookingView & { payment: { status: string; attempts: number; failureReason: string | null; refunds: { status: string }[] } | null } }>(
    `query($id: ID!) { booking(id: $id) { ${BOOKING_FIELDS} payment { status attempts failureReason refunds { status amount { amount } } } } }`,
    { id },
    { token },
  );
  return booking;
}

/** Polls a booking until its status is one of `statuses` (the saga is asynchronous). */
export async function waitForStatus(gw: GraphQLClient, token: string, id: string, statuses: string[], timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const booking = await readBooking(gw, token, id);
    if (statuses.includes(booking.status)) return booking;
    if (Date.now() > deadline) throw new Error(`booking ${id} stayed ${booking.status}, wanted ${statuses.join('|')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
