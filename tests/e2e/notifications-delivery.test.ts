import { waitFor } from '@airline/shared/testing';
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
  type NotificationView,
} from '../../subgraphs/notifications/src/testing/notification-flows.ts';
import { useBookingStack } from '../testkit/stack.ts';

const suite = useBookingStack('notifydlv');
const sinks = () => notificationSinks(suite.stack.config);
const emails = () => sinks().smtp.emails;
const DAY_MS = 86_400_000;

afterEach(() => {
  sinks().sms.behaviour.failWith = null;
});

describe('delivery, retries and replays', () => {
  test('a failing SMS provider: retries, then DEAD_LETTERED, the booking confirmed all the same; a replay sends it once', async () => {
    const flyer = await newFlyer(suite.gw);
    const flightId = await scheduleFlight(
      suite.gw,
      suite.agent,
      new Date(Date.now() + 30 * DAY_MS),
    );
    sinks().sms.behaviour.failWith = 503;
    const requestsBefore = sinks().sms.requests;
    const booking = await bookAndPay(suite.gw, flyer.token, flightId, [
      { givenName: 'Margaret', familyName: 'Hamilton', seat: '21A' },
    ]);
    expect(booking.status).toBe('CONFIRMED');

    const dead = await waitForNotification(suite.gw, flyer.token, booking.id, {
      kind: 'BOOKING_CONFIRMED',
      channel: 'SMS',
      statuses: ['DEAD_LETTERED'],
    });
    expect(dead).toMatchObject({ recipient: flyer.phone, attempts: 3, sentAt: null });
    expect(dead.lastError).toContain('503');
    expect(sinks().sms.requests - requestsBefore).toBe(3);
    // E-mail is another channel with its own sender: it went out regardless.
    await waitForNotification(suite.gw, flyer.token, booking.id, {
      kind: 'BOOKING_CONFIRMED',
      channel: 'EMAIL',
      statuses: ['SENT'],
    });
    const { notifications: deadLettered } = await suite.gw.data<{
      notifications: { id: string }[];
    }>(
      '{ notifications(status: DEAD_LETTERED, channel: SMS, first: 100) { id } }',
      {},
      { token: suite.agent },
    );
    expect(deadLettered.map((n) => n.id)).toContain(dead.id);

    sinks().sms.behaviour.failWith = null;
    const REPLAY = 'mutation($id: ID!) { replayNotification(id: $id) { id status attempts } }';
    const replay = await suite.gw.data<{ replayNotification: { status: string } }>(
      REPLAY,
      { id: dead.id },
      { token: suite.agent },
    );
    expect(['QUEUED', 'SENT']).toContain(replay.replayNotification.status);
    const sent = await waitForNotification(suite.gw, flyer.token, booking.id, {
      kind: 'BOOKING_CONFIRMED',
      channel: 'SMS',
      statuses: ['SENT'],
    });
    expect(sent).toMatchObject({ id: dead.id, attempts: 4, lastError: null });
    const delivered = sinks().sms.messages.filter((m) => m.idempotencyKey === dead.id);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.text).toContain(booking.reference);

    // Replaying again, one or all, changes nothing and sends nothing.
    const requestsAfterReplay = sinks().sms.requests;
    const again = await suite.gw.data<{ replayNotification: { status: string; attempts: number } }>(
      REPLAY,
      { id: dead.id },
      { token: suite.agent },
    );
    expect(again.replayNotification).toEqual({ id: dead.id, status: 'SENT', attempts: 4 });
    const all = await suite.gw.data<{ replayDeadLetteredNotifications: number }>(
      'mutation { replayDeadLetteredNotifications(channel: SMS) }',
      {},
      { token: suite.agent },
    );
    expect(all.replayDeadLetteredNotifications).toBe(0);
    expect(sinks().sms.requests).toBe(requestsAfterReplay);
  });

  test('a delay reaches every passenger of every booking on the flight and moves their reminders; a gate change too', async () => {
    // Whole minutes: flights keeps departures to the minute.
    const departure = new Date(Math.ceil((Date.now() + 40 * DAY_MS) / 60_000) * 60_000);
    const flightId = await scheduleFlight(suite.gw, suite.agent, departure);
    const first = await newFlyer(suite.gw);
    const second = await newFlyer(suite.gw);
    const holder = await newFlyer(suite.gw);
    const bookings = [
      await bookAndPay(suite.gw, first.token, flightId, [
        { givenName: 'Katherine', familyName: 'Johnson', seat: '15A' },
        { givenName: 'Dorothy', familyName: 'Vaughan', seat: '15B' },
      ]),
      await bookAndPay(suite.gw, second.token, flightId, [
        { givenName: 'Mary', familyName: 'Jackson', seat: '16C' },
      ]),
    ];
    const flyers = [first, second];
    // A hold that is never paid: not a passenger (yet), so not told.
    const { createBooking: held } = await suite.gw.data<{ createBooking: { id: string } }>(
      'mutation($i: CreateBookingInput!) { createBooking(input: $i) { id } }',
      {
        i: {
          flightId,
          passengers: [
            { givenName: 'Held', familyName: 'Only', dateOfBirth: '1990-01-01', seat: '17D' },
          ],
        },
      },
      { token: holder.token },
    );
    const reminders = await Promise.all(bookings.map((b, i) => reminderOf(flyers[i]!.token, b.id)));
    for (const r of reminders) expect(Date.parse(r)).toBe(departure.getTime() - DAY_MS);

    const before = await flightInfo(suite.gw, flightId);
    const newDeparture = new Date(departure.getTime() + 3 * 3_600_000);
    await suite.gw.data(
      `mutation($id: ID!, $t: DateTime!) {
         delayFlight(id: $id, newDepartureTime: $t, reason: "Late inbound aircraft") { id } }`,
      { id: flightId, t: newDeparture.toISOString() },
      { token: suite.agent },
    );
    const after = await flightInfo(suite.gw, flightId);
    for (const [i, b] of bookings.entries()) {
      const email = await waitForEmail(
        emails,
        `delay for ${b.reference}`,
        (e) =>
          e.subject.startsWith(`Flight ${after.number} is delayed`) && e.text.includes(b.reference),
      );
      expect(email.envelopeTo).toEqual([flyers[i]!.email]);
      expect(email.text).toContain(`at ${clockOf(after.departureTime)} local time instead of`);
      expect(email.text).toContain(`at ${clockOf(before.departureTime)}`);
      expect(email.text).toContain('Late inbound aircraft');
      await waitFor(`the reminder of ${b.reference} to move`, async () => {
        const due = await reminderOf(flyers[i]!.token, b.id);
        return Date.parse(due) === newDeparture.getTime() - DAY_MS;
      });
    }
    const heldMessages = await bookingNotifications(suite.gw, holder.token, held.id);
    expect(heldMessages.notifications).toEqual([]);

    await suite.gw.data(
      'mutation($id: ID!) { changeGate(id: $id, gate: "Z9") { id } }',
      { id: flightId },
      { token: suite.agent },
    );
    for (const [i, b] of bookings.entries()) {
      const gate = await waitForNotification(suite.gw, flyers[i]!.token, b.id, {
        kind: 'GATE_CHANGED',
        channel: 'SMS',
        statuses: ['SENT'],
      });
      expect(gate.recipient).toBe(flyers[i]!.phone);
      const text = sinks().sms.messages.find((m) => m.idempotencyKey === gate.id)?.text;
      expect(text).toContain('gate Z9');
    }
  });

  test('the reminder goes out 24 hours before departure', async () => {
    const flyer = await newFlyer(suite.gw);
    // Departing a day and a few seconds from now: the reminder is due a few seconds from now.
    const flightId = await scheduleFlight(
      suite.gw,
      suite.agent,
      new Date(Date.now() + DAY_MS + 8_000),
    );
    const booking = await bookAndPay(suite.gw, flyer.token, flightId, [
      { givenName: 'Frances', familyName: 'Allen', seat: '9E' },
    ]);
    const flight = await flightInfo(suite.gw, flightId);
    const reminder = await waitForEmail(
      emails,
      `reminder for ${booking.reference}`,
      (e) => e.subject.startsWith(`Reminder: flight ${flight.number}`),
      40_000,
    );
    expect(reminder.envelopeTo).toEqual([flyer.email]);
    expect(reminder.text).toContain(booking.reference);
    expect(reminder.text).toContain(`${clockOf(flight.departureTime)} local time`);
    const { scheduled, notifications } = await bookingNotifications(
      suite.gw,
      flyer.token,
      booking.id,
    );
    expect(scheduled).toEqual([]);
    expect(notifications.some((n: NotificationView) => n.kind === 'FLIGHT_REMINDER')).toBe(true);
  });

  test('a cancelled flight: every passenger is told with the refund, and the reminders are dropped', async () => {
    const flightId = await scheduleFlight(
      suite.gw,
      suite.agent,
      new Date(Date.now() + 50 * DAY_MS),
    );
    const flyers = [await newFlyer(suite.gw), await newFlyer(suite.gw)];
    const bookings = [
      await bookAndPay(suite.gw, flyers[0]!.token, flightId, [
        { givenName: 'Hedy', familyName: 'Lamarr', seat: '22A' },
      ]),
      await bookAndPay(suite.gw, flyers[1]!.token, flightId, [
        { givenName: 'Radia', familyName: 'Perlman', seat: '22B' },
      ]),
    ];
    for (const [i, b] of bookings.entries()) await reminderOf(flyers[i]!.token, b.id);
    const flight = await flightInfo(suite.gw, flightId);
    await suite.gw.data(
      'mutation($id: ID!) { cancelFlight(id: $id, reason: "Crew shortage") { id } }',
      { id: flightId },
      { token: suite.agent },
    );
    for (const [i, b] of bookings.entries()) {
      const email = await waitForEmail(
        emails,
        `cancellation of ${b.reference}`,
        (e) => e.subject.startsWith(`Flight ${flight.number} on`) && e.text.includes(b.reference),
      );
      expect(email.envelopeTo).toEqual([flyers[i]!.email]);
      expect(email.subject).toContain('is cancelled');
      expect(email.text).toMatch(/We have refunded \d+\.\d{2} [A-Z]{3}/);
      expect(email.text).toContain('Crew shortage');
      const { scheduled } = await bookingNotifications(suite.gw, flyers[i]!.token, b.id);
      expect(scheduled).toEqual([]);
    }
  });
});

/** The due time of a booking's reminder, once it is scheduled. */
async function reminderOf(token: string, bookingId: string): Promise<string> {
  return waitFor(`the reminder of booking ${bookingId}`, async () => {
    const { scheduled } = await bookingNotifications(suite.gw, token, bookingId);
    return scheduled.find((s) => s.kind === 'FLIGHT_REMINDER')?.dueAt;
  });
}
