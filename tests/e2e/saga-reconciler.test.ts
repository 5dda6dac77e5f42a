// Messages of the saga that are lost for good (not delayed: gone), and the reconciler settling
// each booking from the source of truth instead: payments' records, flights' inventory.
import amqp, { type Channel } from 'amqplib';
import { waitFor } from '@airline/shared/testing';
import { assertMoneyInvariant } from '../testkit/money.ts';
import { useBookingStack } from '../testkit/stack.ts';
import {
  CARDS,
  createBooking,
  freshFlight,
  newCustomer,
  payBooking,
  waitForStatus,
} from '../testkit/flows.ts';

// The reconciler looks every second at sagas that have not moved for a second.
const suite = useBookingStack('reconciler', {
  SAGA_STUCK_AFTER_SECONDS: '1',
  SAGA_RECONCILE_INTERVAL_SECONDS: '1',
});

/** A channel on the suite's broker, for the test to lose messages with. */
async function onBroker<T>(work: (channel: Channel, name: (n: string) => string) => Promise<T>) {
  const { amqpUrl, amqpPrefix } = suite.stack.config;
  const connection = await amqp.connect(amqpUrl);
  try {
    return await work(await connection.createChannel(), (n) => `${amqpPrefix}${n}`);
  } finally {
    await connection.close();
  }
}

/** Waits until a queue holds a message, then throws everything in it away. */
async function loseWhatArrivesIn(queue: string): Promise<void> {
  await onBroker(async (channel, name) => {
    await waitFor(`a message in ${queue}`, async () => {
      return (await channel.checkQueue(name(queue))).messageCount > 0;
    });
    await channel.purgeQueue(name(queue));
  });
}

describe('the saga reconciler settles bookings whose messages were lost', () => {
  test('a payment whose PaymentCompleted never reaches bookings: the booking is confirmed from payments’ records', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const me = await newCustomer(suite.gw);
    const id = (await createBooking(suite.gw, me.token, flightId, ['14A'])).data!.createBooking.id;
    // The event is published and routed nowhere: lost.
    const unbind = (op: 'bindQueue' | 'unbindQueue') =>
      onBroker((channel, name) =>
        channel[op](name('bookings.saga'), name('payment.events'), 'PaymentCompleted'),
      );
    await unbind('unbindQueue');
    try {
      await payBooking(suite.gw, me.token, id, CARDS.approved);
      const done = await waitForStatus(suite.gw, me.token, id, ['CONFIRMED', 'CANCELLED'], 20_000);
      expect(done.status).toBe('CONFIRMED');
      expect(done.passengers[0]?.ticketNumber).toMatch(/^\d{13}$/);
    } finally {
      await unbind('bindQueue');
    }
  }, 60_000);

  test('a refund command lost while payments was down: the cancelled booking’s money is given back anyway', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const me = await newCustomer(suite.gw);
    const id = (await createBooking(suite.gw, me.token, flightId, ['14B'])).data!.createBooking.id;
    await payBooking(suite.gw, me.token, id, CARDS.approved);
    await waitForStatus(suite.gw, me.token, id, ['CONFIRMED'], 20_000);

    await suite.stack.restart('payments', async () => {
      const cancelled = await suite.gw.data<{ cancelBooking: { status: string } }>(
        'mutation($id: ID!) { cancelBooking(id: $id) { status } }',
        { id },
        { token: me.token },
      );
      expect(cancelled.cancelBooking.status).toBe('CANCELLED');
      await loseWhatArrivesIn('payments.commands');
    });
    // One charge, and it is refunded: the provider's own records say so.
    await assertMoneyInvariant(suite.stack.config, 30_000);
  }, 90_000);

  test('a seat confirmation lost while flights was down: flights is asked again and the booking confirmed', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const me = await newCustomer(suite.gw);
    const id = (await createBooking(suite.gw, me.token, flightId, ['14C', '14D'])).data!
      .createBooking.id;
    await suite.stack.restart('flights', async () => {
      await payBooking(suite.gw, me.token, id, CARDS.approved);
      await loseWhatArrivesIn('flights.commands');
    });
    const done = await waitForStatus(suite.gw, me.token, id, ['CONFIRMED', 'CANCELLED'], 20_000);
    expect(done.status).toBe('CONFIRMED');
  }, 90_000);
});
