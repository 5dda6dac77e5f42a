import { errorCodes, type GraphQLClient } from '@airline/shared/testing';
import { startStack, type TestStack } from '../testkit/stack.ts';
import {
  agentToken,
  CARDS,
  createBooking,
  freshFlight,
  newCustomer,
  payBooking,
  seatStatuses,
  waitForStatus,
} from '../testkit/flows.ts';

let stack: TestStack;
let gw: GraphQLClient;
let agent: string;

beforeAll(async () => {
  // The shortest hold the configuration allows, so expiry is observable in a test.
  stack = await startStack('expiry', { SEAT_HOLD_TTL_SECONDS: '5' });
  gw = stack.gateway;
  agent = await agentToken(gw, stack.config);
}, 60_000);
afterAll(() => stack?.stop());

test('an unpaid hold expires: the booking is EXPIRED, its seats are free, and paying it is HOLD_EXPIRED', async () => {
  const flightId = await freshFlight(gw, agent);
  const me = await newCustomer(gw);
  const id = (await createBooking(gw, me.token, flightId, ['6A', '6B'])).data!.createBooking.id;
  expect(await seatStatuses(gw, flightId, ['6A', '6B'])).toEqual({ '6A': 'HELD', '6B': 'HELD' });
  const expired = await waitForStatus(gw, me.token, id, ['EXPIRED'], 15_000);
  expect(expired.holdExpiresAt).toBeNull();
  expect(await seatStatuses(gw, flightId, ['6A', '6B'])).toEqual({
    '6A': 'AVAILABLE',
    '6B': 'AVAILABLE',
  });
  expect(errorCodes(await payBooking(gw, me.token, id, CARDS.approved))).toEqual(['HOLD_EXPIRED']);
  const other = await newCustomer(gw);
  expect((await createBooking(gw, other.token, flightId, ['6A'])).data?.createBooking.status).toBe(
    'HELD',
  );
}, 30_000);

test('a booking whose payment started before the hold lapsed is not expired under it', async () => {
  const flightId = await freshFlight(gw, agent);
  const me = await newCustomer(gw);
  const id = (await createBooking(gw, me.token, flightId, ['9C'])).data!.createBooking.id;
  expect((await payBooking(gw, me.token, id, CARDS.approved)).data?.payBooking.status).toMatch(
    /PAYMENT_PENDING|CONFIRMED/,
  );
  await new Promise((r) => setTimeout(r, 6_000));
  expect((await waitForStatus(gw, me.token, id, ['CONFIRMED', 'EXPIRED'])).status).toBe(
    'CONFIRMED',
  );
  expect(await seatStatuses(gw, flightId, ['9C'])).toEqual({ '9C': 'BOOKED' });
}, 30_000);
