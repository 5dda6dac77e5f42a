import { errorCodes } from '@airline/shared/testing';
import { useBookingStack } from '../testkit/stack.ts';
import {
  CARDS,
  createBooking,
  freshFlight,
  newCustomer,
  payBooking,
  seatStatuses,
  waitForStatus,
} from '../testkit/flows.ts';

const suite = useBookingStack('expiry', { SEAT_HOLD_TTL_SECONDS: '5' });

test('an unpaid hold expires: the booking is EXPIRED, its seats are free, and paying it is HOLD_EXPIRED', async () => {
  const flightId = await freshFlight(suite.gw, suite.agent);
  const me = await newCustomer(suite.gw);
  const id = (await createBooking(suite.gw, me.token, flightId, ['6A', '6B'])).data!.createBooking
    .id;
  expect(await seatStatuses(suite.gw, flightId, ['6A', '6B'])).toEqual({
    '6A': 'HELD',
    '6B': 'HELD',
  });
  const expired = await waitForStatus(suite.gw, me.token, id, ['EXPIRED'], 15_000);
  expect(expired.holdExpiresAt).toBeNull();
  expect(await seatStatuses(suite.gw, flightId, ['6A', '6B'])).toEqual({
    '6A': 'AVAILABLE',
    '6B': 'AVAILABLE',
  });
  expect(errorCodes(await payBooking(suite.gw, me.token, id, CARDS.approved))).toEqual([
    'HOLD_EXPIRED',
  ]);
  const other = await newCustomer(suite.gw);
  expect(
    (await createBooking(suite.gw, other.token, flightId, ['6A'])).data?.createBooking.status,
  ).toBe('HELD');
}, 30_000);

test('a booking whose payment started before the hold lapsed is not expired under it', async () => {
  const flightId = await freshFlight(suite.gw, suite.agent);
  const me = await newCustomer(suite.gw);
  const id = (await createBooking(suite.gw, me.token, flightId, ['9C'])).data!.createBooking.id;
  expect(
    (await payBooking(suite.gw, me.token, id, CARDS.approved)).data?.payBooking.status,
  ).toMatch(/PAYMENT_PENDING|CONFIRMED/);
  await new Promise((r) => setTimeout(r, 6_000));
  expect((await waitForStatus(suite.gw, me.token, id, ['CONFIRMED', 'EXPIRED'])).status).toBe(
    'CONFIRMED',
  );
  expect(await seatStatuses(suite.gw, flightId, ['9C'])).toEqual({ '9C': 'BOOKED' });
}, 30_000);
