import pg from 'pg';
import {
  AmqpConnection,
  ServiceTokens,
  createLogger,
  databaseName,
  newCommand,
  newEvent,
  routeOf,
} from '@airline/shared';
import { errorCodes, subgraphClient, waitFor } from '@airline/shared/testing';
import { notificationSinks } from '../../subgraphs/notifications/src/testing/test-stack.ts';
import {
  bookAndPay,
  bookingNotifications,
  clockOf,
  flightInfo,
  newFlyer,
  scheduleFlight,
  waitForEmail,
  waitForNotification,
} from '../../subgraphs/notifications/src/testing/notification-flows.ts';
import { tapMessages } from '../testkit/flows.ts';
import { useBookingStack } from '../testkit/stack.ts';

const suite = useBookingStack('notify');
const sinks = () => notificationSinks(suite.stack.config);
const emails = () => sinks().smtp.emails;
const inWeeks = (weeks: number) => new Date(Date.now() + weeks * 7 * 86_400_000);

describe('notifications through the gateway', () => {
  test('a confirmed booking e-mails the e-ticket: recipient, record locator, tickets, seats and local departure time; it shows SENT', async () => {
    const flyer = await newFlyer(suite.gw, 'Ada <b>Lovelace</b>');
    const flightId = await scheduleFlight(suite.gw, suite.agent, inWeeks(3));
    const flight = await flightInfo(suite.gw, flightId);
    const booking = await bookAndPay(suite.gw, flyer.token, flightId, [
      { givenName: 'Ada', familyName: 'Lovelace', seat: '12A' },
      { givenName: '<script>alert(1)</script>', familyName: "O'Brien", seat: '12B' },
    ]);

    const email = await waitForEmail(emails, `e-ticket ${booking.reference}`, (e) =>
      e.subject.includes(booking.reference),
    );
    expect(email.envelopeTo).toEqual([flyer.email]);
    expect(email.subject).toContain('e-ticket');
    for (const p of booking.passengers) {
      expect(p.ticketNumber).toMatch(/^\d{13}$/);
      expect(email.text).toContain(p.ticketNumber);
      expect(email.text).toContain(`seat ${p.seat}`);
      expect(email.html).toContain(p.ticketNumber);
    }
    // Departure on New York's clock, arrival on London's, each named with its zone.
    expect(email.text).toContain(`${clockOf(flight.departureTime)} local time (America/New_York`);
    expect(email.text).toContain(`${clockOf(flight.arrivalTime)} local time (Europe/London`);
    // Customer-supplied values are escaped in HTML and left alone in plain text.
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).not.toContain('<b>Lovelace</b>');
    expect(email.text).toContain("<script>alert(1)</script> O'Brien");
    // The calendar entry of the e-ticket, in UTC.
    const ics = email.attachments.find((a) => a.filename === `e-ticket-${booking.reference}.ics`);
    expect(ics?.contentType).toContain('text/calendar');
    const start = new Date(flight.departureTime).toISOString().replace(/[-:]|\.\d{3}/g, '');
    expect(ics?.content).toContain(`DTSTART:${start}`);

    const sent = await waitForNotification(suite.gw, flyer.token, booking.id, {
      kind: 'BOOKING_CONFIRMED',
      channel: 'EMAIL',
      statuses: ['SENT'],
    });
    expect(sent).toMatchObject({ recipient: flyer.email, subject: email.subject, attempts: 1 });
    expect(Date.parse(sent.sentAt!)).toBeGreaterThanOrEqual(Date.parse(sent.createdAt));
    // The same message from the customer's side, newest first.
    const { me } = await suite.gw.data<{ me: { notifications: { id: string }[] } }>(
      '{ me { notifications(first: 10) { id } } }',
      {},
      { token: flyer.token },
    );
    expect(me.notifications.map((n) => n.id)).toContain(sent.id);
  });

  test('SMS and push go to the channels the customer chose; e-mail is always on', async () => {
    const flyer = await newFlyer(suite.gw);
    const prefs = await suite.gw.data<{
      updateNotificationPreferences: { email: boolean; sms: boolean; push: boolean };
    }>(
      'mutation { updateNotificationPreferences(input: { push: true, sms: false }) { email sms push } }',
      {},
      { token: flyer.token },
    );
    expect(prefs.updateNotificationPreferences).toEqual({ email: true, sms: false, push: true });
    const flightId = await scheduleFlight(suite.gw, suite.agent, inWeeks(4));
    const booking = await bookAndPay(suite.gw, flyer.token, flightId, [
      { givenName: 'Grace', familyName: 'Hopper', seat: '14C' },
    ]);
    const push = await waitForNotification(suite.gw, flyer.token, booking.id, {
      kind: 'BOOKING_CONFIRMED',
      channel: 'PUSH',
      statuses: ['SENT'],
    });
    expect(push.recipient).toBe(flyer.id);
    const received = sinks().push.messages.find((m) => m.idempotencyKey === push.id);
    expect(received).toMatchObject({ to: flyer.id });
    expect(received?.text).toContain(booking.reference);
    const { notifications } = await bookingNotifications(suite.gw, flyer.token, booking.id);
    expect(notifications.map((n) => n.channel).sort()).toEqual(['EMAIL', 'PUSH']);
    expect(sinks().sms.messages.some((m) => m.to === flyer.phone)).toBe(false);

    // Pages, newest first: both messages were queued in one transaction (one timestamp).
    const PAGE = 'query($after: ID) { me { notifications(first: 1, after: $after) { id } } }';
    type Page = { me: { notifications: { id: string }[] } };
    const first = await suite.gw.data<Page>(PAGE, {}, { token: flyer.token });
    const second = await suite.gw.data<Page>(
      PAGE,
      { after: first.me.notifications[0]!.id },
      { token: flyer.token },
    );
    const third = await suite.gw.data<Page>(
      PAGE,
      { after: second.me.notifications[0]!.id },
      { token: flyer.token },
    );
    expect([...first.me.notifications, ...second.me.notifications].map((n) => n.id).sort()).toEqual(
      notifications.map((n) => n.id).sort(),
    );
    expect(third.me.notifications).toEqual([]);
  });

  test('the same BookingConfirmed delivered twice, or re-emitted under a new id, sends one e-mail', async () => {
    const tap = await tapMessages(suite.stack.config, [
      { exchange: 'booking.events', routingKey: 'BookingConfirmed' },
    ]);
    try {
      const flyer = await newFlyer(suite.gw);
      const flightId = await scheduleFlight(suite.gw, suite.agent, inWeeks(5));
      const booking = await bookAndPay(suite.gw, flyer.token, flightId, [
        { givenName: 'Alan', familyName: 'Turing', seat: '20F' },
      ]);
      await waitForNotification(suite.gw, flyer.token, booking.id, {
        kind: 'BOOKING_CONFIRMED',
        channel: 'EMAIL',
        statuses: ['SENT'],
      });
      const original = await waitFor('the BookingConfirmed on the broker', () =>
        tap.messages.find((m) => m.type === 'BookingConfirmed' && m.aggregateId === booking.id),
      );
      if (original.type !== 'BookingConfirmed') throw new Error('unexpected message');
      const reissued = newEvent('BookingConfirmed', booking.id, original.payload, booking.id);
      await publish(original);
      await publish(reissued);
      await waitFor(
        'both copies to be handled',
        async () => (await handled([original.id, reissued.id])) === 2 && (await queueIdle()),
      );

      const theirs = emails().filter((e) => e.subject.includes(booking.reference));
      expect(theirs).toHaveLength(1);
      expect(theirs[0]!.deliveries).toBe(1);
      const { notifications } = await bookingNotifications(suite.gw, flyer.token, booking.id);
      // One message per channel the customer is reached on (a phone number: SMS too).
      expect(
        notifications
          .filter((n) => n.kind === 'BOOKING_CONFIRMED')
          .map((n) => n.channel)
          .sort(),
      ).toEqual(['EMAIL', 'SMS']);
    } finally {
      await tap.close();
    }
  });

  test('a declined card and a cancellation are told; the cancellation states the refund actually made', async () => {
    const flyer = await newFlyer(suite.gw);
    const flightId = await scheduleFlight(suite.gw, suite.agent, inWeeks(6));
    const failed = await bookAndPay(
      suite.gw,
      flyer.token,
      flightId,
      [{ givenName: 'Edsger', familyName: 'Dijkstra', seat: '7A' }],
      '4000000000000002',
      // Back to HELD while the hold lasts (payable with another card), or PAYMENT_FAILED.
      ['HELD', 'PAYMENT_FAILED'],
    );
    const declined = await waitForEmail(emails, 'payment failed', (e) =>
      e.subject.includes(`Payment failed for booking ${failed.reference}`),
    );
    expect(declined.text).toContain('did not go through');

    const paid = await bookAndPay(suite.gw, flyer.token, flightId, [
      { givenName: 'Edsger', familyName: 'Dijkstra', seat: '7B' },
    ]);
    const { booking: priced } = await suite.gw.data<{
      booking: { totalPrice: { amount: string; currency: string } };
    }>(
      'query($id: ID!) { booking(id: $id) { totalPrice { amount currency } } }',
      { id: paid.id },
      {
        token: flyer.token,
      },
    );
    await suite.gw.data(
      'mutation($id: ID!) { cancelBooking(id: $id, reason: "plans changed") { id } }',
      { id: paid.id },
      { token: flyer.token },
    );
    const cancelled = await waitForEmail(emails, 'cancellation', (e) =>
      e.subject.includes(`Booking ${paid.reference} is cancelled`),
    );
    expect(cancelled.text).toContain(
      `We have refunded ${priced.totalPrice.amount} ${priced.totalPrice.currency}`,
    );
    expect(cancelled.text).toContain('plans changed');
    const { scheduled } = await bookingNotifications(suite.gw, flyer.token, paid.id);
    expect(scheduled).toEqual([]);
  });

  test("a stranger cannot read someone else's notifications; an agent can", async () => {
    const owner = await newFlyer(suite.gw);
    const stranger = await newFlyer(suite.gw);
    const flightId = await scheduleFlight(suite.gw, suite.agent, inWeeks(7));
    const booking = await bookAndPay(suite.gw, owner.token, flightId, [
      { givenName: 'Barbara', familyName: 'Liskov', seat: '3C' },
    ]);
    await waitForNotification(suite.gw, owner.token, booking.id, {
      kind: 'BOOKING_CONFIRMED',
      channel: 'EMAIL',
      statuses: ['SENT'],
    });

    // Through the gateway: the booking itself is not theirs to see.
    const viaGateway = await suite.gw.request<{ booking: unknown }>(
      'query($id: ID!) { booking(id: $id) { notifications { id subject } } }',
      { id: booking.id },
      { token: stranger.token },
    );
    expect(viaGateway.data?.booking ?? null).toBeNull();
    expect(JSON.stringify(viaGateway)).not.toContain(booking.reference);

    // Straight at the subgraph, as if the gateway asked for someone else's entities.
    const subgraph = subgraphClient(
      suite.stack.config,
      'notifications',
      `${suite.stack.subgraphs.notifications!.url}/graphql`,
    );
    const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) {
      ... on Customer { notifications { id subject } }
      ... on Booking { notifications { id subject } } } }`;
    const customerRep = [{ __typename: 'Customer', id: owner.id }];
    const asStranger = await subgraph.request(
      ENTITIES,
      { reps: customerRep },
      {
        token: stranger.token,
      },
    );
    expect(errorCodes(asStranger)).toEqual(['FORBIDDEN']);
    const bookingRep = [{ __typename: 'Booking', id: booking.id }];
    const strangerBooking = await subgraph.data<{ _entities: { notifications: unknown[] }[] }>(
      ENTITIES,
      { reps: bookingRep },
      { token: stranger.token },
    );
    expect(strangerBooking._entities[0]!.notifications).toEqual([]);
    const anonymous = await subgraph.request(ENTITIES, { reps: customerRep });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);

    const asAgent = await subgraph.data<{ _entities: { notifications: unknown[] }[] }>(
      ENTITIES,
      { reps: bookingRep },
      { token: suite.agent },
    );
    expect(asAgent._entities[0]!.notifications.length).toBeGreaterThan(0);
    const listAsCustomer = await suite.gw.request(
      '{ notifications { id } }',
      {},
      {
        token: owner.token,
      },
    );
    expect(errorCodes(listAsCustomer)).toEqual(['FORBIDDEN']);
  });

  test('a message another service writes (SendNotification) is sent as it is, its text escaped in the e-mail', async () => {
    const recipient = `written.${Date.now()}@example.com`;
    await publish(
      newCommand('SendNotification', recipient, {
        channel: 'EMAIL',
        kind: 'FLIGHT_DELAYED',
        recipient,
        customerId: null,
        bookingId: null,
        subject: 'Ground stop at JFK',
        body: 'All departures wait for <b>30 minutes</b>.\n\nWe are sorry.',
      }),
    );
    const email = await waitForEmail(emails, 'the written message', (e) =>
      e.envelopeTo.includes(recipient),
    );
    expect(email.subject).toBe('Ground stop at JFK');
    expect(email.text).toContain('All departures wait for <b>30 minutes</b>.');
    expect(email.html).toContain('<p>All departures wait for &lt;b&gt;30 minutes&lt;/b&gt;.</p>');
  });

  test("the internal endpoints notifications uses answer only notifications' service credential", async () => {
    const { config, subgraphs } = suite.stack;
    const flyer = await newFlyer(suite.gw);
    const flightId = await scheduleFlight(suite.gw, suite.agent, inWeeks(8));
    const post = async (url: string, body: unknown, token: string) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const as = (caller: 'notifications' | 'bookings', audience: 'customers' | 'flights') =>
      new ServiceTokens(config.serviceSecret, caller).sign(audience);
    const contacts = `${subgraphs.customers!.url}/internal/contacts`;
    const details = `${subgraphs.flights!.url}/internal/flight-details`;
    const quotes = `${subgraphs.flights!.url}/internal/seat-quotes`;

    const mine = await post(
      contacts,
      { customerIds: [flyer.id] },
      await as('notifications', 'customers'),
    );
    expect(mine).toEqual({
      status: 200,
      body: {
        contacts: [{ id: flyer.id, email: flyer.email, name: 'Test Flyer', phone: flyer.phone }],
      },
    });
    expect((await post(contacts, { customerIds: [flyer.id] }, flyer.token)).status).toBe(401);
    expect(
      (await post(contacts, { customerIds: [flyer.id] }, await as('bookings', 'customers'))).status,
    ).toBe(401);

    const flight = await post(
      details,
      { flightIds: [flightId] },
      await as('notifications', 'flights'),
    );
    expect(flight.status).toBe(200);
    expect(flight.body.flights).toEqual([
      expect.objectContaining({
        id: flightId,
        origin: expect.objectContaining({ code: 'JFK', timeZone: 'America/New_York' }),
        destination: expect.objectContaining({ code: 'LHR', timeZone: 'Europe/London' }),
      }),
    ]);
    // Each caller only reaches its own endpoints.
    expect(
      (await post(quotes, { flightId, seats: ['5A'] }, await as('notifications', 'flights')))
        .status,
    ).toBe(401);
    expect((await post(details, { flightIds: [flightId] }, flyer.token)).status).toBe(401);
  });
});

async function publish(message: { id: string; type: string }): Promise<void> {
  const { exchange, routingKey } = routeOf(message);
  const config = suite.stack.config;
  const amqp = await AmqpConnection.connect(config, createLogger(config, 'e2e-publisher'), {
    name: 'e2e-publisher',
  });
  try {
    const channel = await amqp.publishChannel();
    channel.publish(amqp.name(exchange), routingKey, Buffer.from(JSON.stringify(message)), {
      persistent: true,
      messageId: message.id,
      type: message.type,
      contentType: 'application/json',
    });
    await channel.waitForConfirms();
  } finally {
    await amqp.close();
  }
}

/** How many of these messages the notifications inbox has recorded as handled. */
async function handled(ids: string[]): Promise<number> {
  const config = suite.stack.config;
  const client = new pg.Client({
    connectionString: `${config.postgresUrl}/${databaseName(config, 'notifications')}`,
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM inbox WHERE message_id = ANY($1::uuid[])',
      [ids],
    );
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

/** True once the notifications booking-events queue has nothing waiting. */
async function queueIdle(): Promise<boolean> {
  const config = suite.stack.config;
  const amqp = await AmqpConnection.connect(config, createLogger(config, 'e2e-probe'), {
    name: 'e2e-probe',
  });
  try {
    const channel = await amqp.adminChannel();
    const { messageCount } = await channel.checkQueue(amqp.name('notifications.booking-events'));
    return messageCount === 0;
  } finally {
    await amqp.close();
  }
}
