import { useBookingStack } from '../testkit/stack.ts';
import {
  CARDS,
  createBooking,
  freshFlight,
  newCustomer,
  heldAfterFailure,
  payBooking,
  seatStatuses,
  waitForBooking,
  waitForStatus,
} from '../testkit/flows.ts';

const suite = useBookingStack('crash');

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Successful charges the provider simulator recorded for one payment (its reference). */
async function chargesFor(paymentId: string): Promise<number> {
  const stats = (await (
    await fetch(`${suite.stack.config.paymentProviderUrl}/v1/stats`)
  ).json()) as {
    succeededByReference: Record<string, number>;
  };
  return stats.succeededByReference[paymentId] ?? 0;
}

describe('a service dies mid-saga and comes back: every booking ends, nothing is lost or charged twice', () => {
  test('bookings dies right after payBooking; the payment result waits in its queue and the saga resumes', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const me = await newCustomer(suite.gw);
    const id = (await createBooking(suite.gw, me.token, flightId, ['11A'])).data!.createBooking.id;
    expect((await payBooking(suite.gw, me.token, id, CARDS.approved)).data?.payBooking.status).toBe(
      'PAYMENT_PENDING',
    );
    await suite.stack.restart('bookings', () => sleep(1_500));
    const done = await waitForStatus(
      suite.gw,
      me.token,
      id,
      ['CONFIRMED', 'PAYMENT_FAILED', 'CANCELLED'],
      30_000,
    );
    expect(done.status).toBe('CONFIRMED');
    expect(done.payment?.status).toBe('SUCCEEDED');
  }, 60_000);

  test('flights dies while the seats are being confirmed; the command waits and is applied once', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const me = await newCustomer(suite.gw);
    const id = (await createBooking(suite.gw, me.token, flightId, ['11B', '11C'])).data!
      .createBooking.id;
    await payBooking(suite.gw, me.token, id, CARDS.approved);
    await suite.stack.restart('flights', () => sleep(1_500));
    const done = await waitForStatus(
      suite.gw,
      me.token,
      id,
      ['CONFIRMED', 'PAYMENT_FAILED', 'CANCELLED'],
      30_000,
    );
    expect(done.status).toBe('CONFIRMED');
    expect(await seatStatuses(suite.gw, flightId, ['11B', '11C'])).toEqual({
      '11B': 'BOOKED',
      '11C': 'BOOKED',
    });
  }, 60_000);

  test('payments dies in the middle of a slow charge; on restart it settles the payment and never charges twice', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const me = await newCustomer(suite.gw);
    const id = (await createBooking(suite.gw, me.token, flightId, ['11D'])).data!.createBooking.id;
    await payBooking(suite.gw, me.token, id, CARDS.slowThenApproved);
    await suite.stack.restart('payments', () => sleep(300));
    const done = await waitForBooking(
      suite.gw,
      me.token,
      id,
      (b) => b.status === 'CONFIRMED' || heldAfterFailure(b),
      'CONFIRMED, or HELD after an interrupted payment',
      40_000,
    );
    // Either outcome is a correct end; what must hold is that money and booking agree.
    if (done.status === 'CONFIRMED') {
      expect(done.payment?.status).toBe('SUCCEEDED');
      expect(await chargesFor(done.payment!.id)).toBe(1);
    } else {
      // Interrupted before the card was charged: nothing taken, the booking payable again.
      expect(done.payment?.status).toBe('FAILED');
      expect(done.paymentError?.code).toBe('PAYMENT_UNAVAILABLE');
      expect(await chargesFor(done.payment!.id)).toBe(0);
      expect(await seatStatuses(suite.gw, flightId, ['11D'])).toEqual({ '11D': 'HELD' });
    }
  }, 60_000);
});
