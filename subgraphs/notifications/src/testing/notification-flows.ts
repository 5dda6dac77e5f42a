import { waitFor, type GraphQLClient } from '@airline/shared/testing';
import type { ReceivedEmail } from '../dev-sinks/smtp-sink.ts';

// What the end-to-end notification suites do through the gateway, as a client would.

let seq = 0;

/** A customer registered with a phone number (so SMS can reach them). */
export interface Flyer {
  id: string;
  token: string;
  email: string;
  phone: string;
}

/** Registers a customer with a unique e-mail address and phone number. */
export async function newFlyer(gw: GraphQLClient, name = 'Test Flyer'): Promise<Flyer> {
  const n = ++seq;
  const tag = `${Date.now()}${n}`.slice(-9);
  const email = `flyer.n${n}.${tag}@example.com`;
  const phone = `+1555${tag.padStart(7, '0').slice(-7)}`;
  const { register } = await gw.data<{ register: { token: string; customer: { id: string } } }>(
    'mutation($i: RegisterInput!) { register(input: $i) { token customer { id } } }',
    { i: { email, password: 'correct horse 42', name, phone } },
  );
  return { id: register.customer.id, token: register.token, email, phone };
}

/** A traveller on a booking request. */
export interface Traveller {
  givenName: string;
  familyName: string;
  seat: string;
}

/** A flight as the tests compare messages with it. */
export interface FlightInfo {
  id: string;
  number: string;
  departureTime: string;
  arrivalTime: string;
  gate: string | null;
  origin: { code: string; timeZone: string };
  destination: { code: string; timeZone: string };
}

/** Reads a flight through the gateway. */
export async function flightInfo(gw: GraphQLClient, id: string): Promise<FlightInfo> {
  const { flight } = await gw.data<{ flight: FlightInfo }>(
    `query($id: ID!) { flight(id: $id) { id number departureTime arrivalTime gate
       origin { code timeZone } destination { code timeZone } } }`,
    { id },
  );
  return flight;
}

/** Schedules a New York to London flight departing at `departure` (as airline staff would); an A321: rows 1-33, seats A-F. */
export async function scheduleFlight(
  gw: GraphQLClient,
  agent: string,
  departure: Date,
  aircraft = 'A321',
): Promise<string> {
  const number = `AS${1000 + Math.floor(Math.random() * 8999)}`;
  const { scheduleFlight } = await gw.data<{ scheduleFlight: { id: string } }>(
    'mutation($i: ScheduleFlightInput!) { scheduleFlight(input: $i) { id } }',
    {
      i: {
        number,
        origin: 'JFK',
        destination: 'LHR',
        departureTime: departure.toISOString(),
        aircraft,
      },
    },
    { token: agent },
  );
  return scheduleFlight.id;
}

/** A confirmed booking's id, reference and tickets. */
export interface Confirmed {
  id: string;
  reference: string;
  passengers: { givenName: string; familyName: string; seat: string; ticketNumber: string }[];
}

const CARD = (number: string) => ({
  number,
  expMonth: 12,
  expYear: new Date().getUTCFullYear() + 2,
  cvc: '123',
  holderName: 'Ada Lovelace',
});

/** Holds seats and pays with `card`; resolves once the saga ends in one of `statuses`. */
export async function bookAndPay(
  gw: GraphQLClient,
  token: string,
  flightId: string,
  travellers: Traveller[],
  card = '4242424242424242',
  statuses = ['CONFIRMED'],
): Promise<Confirmed & { status: string }> {
  const { createBooking } = await gw.data<{ createBooking: { id: string } }>(
    'mutation($i: CreateBookingInput!) { createBooking(input: $i) { id } }',
    {
      i: {
        flightId,
        passengers: travellers.map((t) => ({ ...t, dateOfBirth: '1985-06-01' })),
      },
    },
    { token },
  );
  const id = createBooking.id;
  await gw.data(
    'mutation($i: PayBookingInput!) { payBooking(input: $i) { id } }',
    { i: { bookingId: id, idempotencyKey: `pay-${id}`, card: CARD(card) } },
    { token },
  );
  let last = 'unknown';
  return waitFor(
    `booking ${id} to end ${statuses.join('|')}`,
    async () => {
      const { booking } = await gw.data<{ booking: Confirmed & { status: string } }>(
        `query($id: ID!) { booking(id: $id) { id reference status
           passengers { givenName familyName seat ticketNumber } } }`,
        { id },
        { token },
      );
      last = booking.status;
      return statuses.includes(booking.status) ? booking : null;
    },
    20_000,
  ).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}; last status ${last}`);
  });
}

/** A message as `Booking.notifications` shows it. */
export interface NotificationView {
  id: string;
  channel: 'EMAIL' | 'SMS' | 'PUSH';
  kind: string;
  recipient: string;
  subject: string;
  status: 'QUEUED' | 'SENT' | 'FAILED' | 'DEAD_LETTERED';
  attempts: number;
  createdAt: string;
  sentAt: string | null;
  lastError: string | null;
}

const NOTIFICATION_FIELDS =
  'id channel kind recipient subject status attempts createdAt sentAt lastError';

/** A booking's messages and scheduled ones, as its owner (or an agent) reads them. */
export async function bookingNotifications(
  gw: GraphQLClient,
  token: string,
  bookingId: string,
): Promise<{ notifications: NotificationView[]; scheduled: { kind: string; dueAt: string }[] }> {
  const { booking } = await gw.data<{
    booking: {
      notifications: NotificationView[];
      scheduledNotifications: { kind: string; dueAt: string }[];
    };
  }>(
    `query($id: ID!) { booking(id: $id) { notifications(first: 50) { ${NOTIFICATION_FIELDS} }
       scheduledNotifications { kind dueAt } } }`,
    { id: bookingId },
    { token },
  );
  return { notifications: booking.notifications, scheduled: booking.scheduledNotifications };
}

/** Waits until a booking has a message of `kind` on `channel` in one of `statuses`. */
export function waitForNotification(
  gw: GraphQLClient,
  token: string,
  bookingId: string,
  match: { kind: string; channel: string; statuses: string[] },
  timeoutMs = 20_000,
): Promise<NotificationView> {
  return waitFor(
    `a ${match.channel} ${match.kind} message of booking ${bookingId} in ${match.statuses.join('|')}`,
    async () =>
      (await bookingNotifications(gw, token, bookingId)).notifications.find(
        (n) =>
          n.kind === match.kind && n.channel === match.channel && match.statuses.includes(n.status),
      ),
    timeoutMs,
  );
}

/** Waits until the SMTP sink holds an e-mail that `match` accepts. */
export function waitForEmail(
  emails: () => readonly ReceivedEmail[],
  what: string,
  match: (email: ReceivedEmail) => boolean,
  timeoutMs = 20_000,
): Promise<ReceivedEmail> {
  return waitFor(`an e-mail: ${what}`, () => emails().find(match), timeoutMs);
}

/** The wall-clock "HH:MM" of an ISO-8601 local time with offset, as flights returns it. */
export const clockOf = (isoLocal: string): string => isoLocal.slice(11, 16);
