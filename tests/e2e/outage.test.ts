// A subgraph that stops answering costs the fields it contributes, not the whole response: the
// rest of the answer survives, and the failed paths carry SUBGRAPH_UNAVAILABLE without any
// internal address.
import type { GraphQLResponse } from '@airline/shared/testing';
import { useBookingStack } from '../testkit/stack.ts';
import {
  CARDS,
  createBooking,
  freshFlight,
  newCustomer,
  payBooking,
  waitForStatus,
} from '../testkit/flows.ts';

const suite = useBookingStack('outage');

type Me<B> = { me: { email: string; bookings: B[] | null } | null };

/** A customer with a confirmed booking and a held one, newest first in their history. */
async function customerWithBookings() {
  const flightId = await freshFlight(suite.gw, suite.agent);
  const me = await newCustomer(suite.gw);
  const paid = (await createBooking(suite.gw, me.token, flightId, ['20A'])).data!.createBooking;
  await payBooking(suite.gw, me.token, paid.id, CARDS.approved);
  await waitForStatus(suite.gw, me.token, paid.id, ['CONFIRMED']);
  const held = (await createBooking(suite.gw, me.token, flightId, ['20B'])).data!.createBooking;
  return { me, paid, held };
}

/** Runs `query` while subgraph `name` is stopped; the subgraph is started again afterwards. */
async function whileDown<T>(name: string, query: () => Promise<T>): Promise<T> {
  let answer: { value: T } | undefined;
  await suite.stack.restart(name, async () => {
    answer = { value: await query() };
  });
  return answer!.value;
}

const expectNoInternalDetails = (res: GraphQLResponse<unknown>) => {
  const text = JSON.stringify(res.errors);
  expect(text).not.toMatch(/127\.0\.0\.1|localhost|https?:\/\/|ECONNREFUSED/);
};

test('payments stopped: the bookings are listed with payment null and a SUBGRAPH_UNAVAILABLE error on each payment', async () => {
  const { me, paid, held } = await customerWithBookings();
  const res = await whileDown('payments', () =>
    suite.gw.request<Me<{ id: string; status: string; payment: { status: string } | null }>>(
      '{ me { email bookings { id status payment { status } } } }',
      {},
      { token: me.token },
    ),
  );

  expect(res.data?.me).toEqual({
    email: me.email,
    bookings: [
      { id: held.id, status: 'HELD', payment: null },
      { id: paid.id, status: 'CONFIRMED', payment: null },
    ],
  });
  expect(res.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([
    ['SUBGRAPH_UNAVAILABLE', ['me', 'bookings', 0, 'payment']],
    ['SUBGRAPH_UNAVAILABLE', ['me', 'bookings', 1, 'payment']],
  ]);
  expect(res.errors?.[0]?.message).toMatch(/payments service is unavailable/);
  expectNoInternalDetails(res);

  // Back up: the same question is answered whole again.
  const after = await suite.gw.data<Me<{ payment: { status: string } | null }>>(
    '{ me { bookings { payment { status } } } }',
    {},
    { token: me.token },
  );
  expect(after.me?.bookings?.map((b) => b.payment?.status)).toEqual([undefined, 'SUCCEEDED']);
}, 60_000);

test("flights stopped: the customer's data and bookings survive, each flight is null with a SUBGRAPH_UNAVAILABLE error", async () => {
  const { me, paid, held } = await customerWithBookings();
  const res = await whileDown('flights', () =>
    suite.gw.request<Me<{ id: string; status: string; flight: { number: string } | null }>>(
      '{ me { email bookings { id status flight { number } } } }',
      {},
      { token: me.token },
    ),
  );

  expect(res.data?.me).toEqual({
    email: me.email,
    bookings: [
      { id: held.id, status: 'HELD', flight: null },
      { id: paid.id, status: 'CONFIRMED', flight: null },
    ],
  });
  expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.serviceName, e.path])).toEqual([
    ['SUBGRAPH_UNAVAILABLE', 'flights', ['me', 'bookings', 0, 'flight', 'number']],
    ['SUBGRAPH_UNAVAILABLE', 'flights', ['me', 'bookings', 1, 'flight', 'number']],
  ]);
  expectNoInternalDetails(res);
}, 60_000);
