import os from 'node:os';
import { asService, graphql, type BenchSettings, type Scenario, CARD } from '../harness.ts';
import { percentiles } from '../load.ts';

// A flight cancellation with a full wide-body: every booking's customer is told on e-mail, SMS
// and push. Measures, on a stack started with `npm start` (with its sinks), the time from
// cancelFlight until every message is SENT, and the notifications process's memory meanwhile.

interface Stats {
  messages: { channel: string; kind: string; status: string; count: number }[];
  memory: { rssBytes: number; heapUsedBytes: number; maxRssBytes: number };
}

const CHANNELS = 3;
const MB = 1024 * 1024;

async function stats(settings: BenchSettings): Promise<Stats> {
  const base = settings.subgraphUrl('notifications').replace(/\/graphql$/, '');
  const res = await fetch(`${base}/internal/stats`, {
    headers: await asService(settings, 'gateway', 'notifications'),
  });
  if (!res.ok) throw new Error(`notifications stats answered ${res.status}`);
  return (await res.json()) as Stats;
}

const count = (s: Stats, where: { kind?: string; status?: string[] }) =>
  s.messages
    .filter(
      (m) =>
        (!where.kind || m.kind === where.kind) &&
        (!where.status || where.status.includes(m.status)),
    )
    .reduce((sum, m) => sum + m.count, 0);

async function customer(url: string, tag: string): Promise<string> {
  const { register } = await graphql<{ register: { token: string } }>(
    url,
    'mutation($i: RegisterInput!) { register(input: $i) { token } }',
    {
      i: {
        email: `bench.notify.${tag}.${Date.now()}@example.com`,
        password: 'bench password 1',
        name: `Bench ${tag}`,
        phone: `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
      },
    },
  );
  // SMS is on by default for an account with a phone; push is opted into.
  await graphql(
    url,
    'mutation { updateNotificationPreferences(input: { push: true }) { push } }',
    {},
    register.token,
  );
  return register.token;
}

async function confirm(
  url: string,
  token: string,
  flightId: string,
  seat: string,
): Promise<boolean> {
  const { createBooking } = await graphql<{ createBooking: { id: string } }>(
    url,
    'mutation($i: CreateBookingInput!) { createBooking(input: $i) { id } }',
    {
      i: {
        flightId,
        passengers: [
          { givenName: 'Bench', familyName: `Seat${seat}`, dateOfBirth: '1990-01-01', seat },
        ],
      },
    },
    token,
  );
  const id = createBooking.id;
  await graphql(
    url,
    'mutation($i: PayBookingInput!) { payBooking(input: $i) { id } }',
    { i: { bookingId: id, card: CARD, idempotencyKey: `bench-notify-${id}` } },
    token,
  );
  for (let i = 0; i < 600; i++) {
    const { booking } = await graphql<{ booking: { status: string } }>(
      url,
      'query($id: ID!) { booking(id: $id) { status } }',
      { id },
      token,
    );
    if (booking.status === 'CONFIRMED') return true;
    if (booking.status !== 'HELD' && booking.status !== 'PAYMENT_PENDING') return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** Polls until `done` or the deadline (bounded: the scenario always ends). */
async function until(
  what: string,
  deadlineMs: number,
  done: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`bench: gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface SentMessage {
  id: string;
  subject: string;
  createdAt: string;
  sentAt: string | null;
}

/** createdAt -> sentAt of the scenario's messages, read as an agent, newest first. */
async function queuedToSent(
  url: string,
  agent: string,
  subjectStart: string,
  since: number,
): Promise<number[]> {
  const durations: number[] = [];
  let after: string | null = null;
  for (let page = 0; page < 100; page++) {
    const { notifications }: { notifications: SentMessage[] } = await graphql<{
      notifications: SentMessage[];
    }>(
      url,
      'query($after: ID) { notifications(status: SENT, first: 100, after: $after) { id subject createdAt sentAt } }',
      { after },
      agent,
    );
    for (const n of notifications)
      if (n.subject.startsWith(subjectStart) && n.sentAt)
        durations.push(Date.parse(n.sentAt) - Date.parse(n.createdAt));
    const last: SentMessage | undefined = notifications.at(-1);
    if (!last || Date.parse(last.createdAt) < since) break;
    after = last.id;
  }
  return durations;
}

export const notificationsScenario: Scenario = {
  name: 'notifications',
  description:
    'cancel a full B789 (one booking per seat, e-mail + SMS + push each): time until every message is SENT, peak memory of notifications',
  async run(settings) {
    const url = settings.gatewayUrl;
    const { login } = await graphql<{ login: { token: string } }>(
      url,
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      {
        e: process.env.AGENT_EMAIL ?? 'agent@airline.test',
        p: process.env.AGENT_PASSWORD ?? 'agent-password-123',
      },
    );
    const departure = new Date(Date.now() + (60 + Math.floor(Math.random() * 200)) * 86_400_000);
    departure.setUTCMinutes(Math.floor(Math.random() * 12) * 5, 0, 0);
    const { scheduleFlight } = await graphql<{
      scheduleFlight: { id: string; number: string; seats: { number: string; status: string }[] };
    }>(
      url,
      `
        mutation ($i: ScheduleFlightInput!) {
          scheduleFlight(input: $i) {
            id
            number
            seats {
              number
              status
            }
          }
        }
      `,
      {
        i: {
          number: `AS${Math.floor(Math.random() * 9000) + 1000}`,
          origin: 'JFK',
          destination: 'LHR',
          departureTime: departure.toISOString(),
          aircraft: 'B789',
        },
      },
      login.token,
    );
    const wanted = Number(process.env.BENCH_NOTIFY_PASSENGERS ?? 300);
    const seats = scheduleFlight.seats.filter((s) => s.status === 'AVAILABLE').map((s) => s.number);
    const passengers = Math.min(wanted, seats.length);

    // Bookings: a few customers, each confirming one single-seat booking after another.
    const workers = Math.min(settings.connections, 12);
    const tokens: string[] = [];
    for (let i = 0; i < workers; i += 2)
      tokens.push(
        ...(await Promise.all([customer(url, `c${i}`), customer(url, `c${i + 1}`)])).slice(
          0,
          workers - i,
        ),
      );
    let next = 0;
    let confirmed = 0;
    await Promise.all(
      tokens.map(async (token) => {
        for (let i = next++; i < passengers; i = next++)
          if (await confirm(url, token, scheduleFlight.id, seats[i]!)) confirmed++;
      }),
    );
    // Let the confirmations' own messages go out first, so they are not part of the figure.
    await until('the confirmations to be sent', 600_000, async () => {
      const s = await stats(settings);
      return (
        count(s, { status: ['QUEUED', 'FAILED'] }) === 0 &&
        count(s, { kind: 'BOOKING_CONFIRMED' }) > 0
      );
    });
    const before = await stats(settings);
    const sentBefore = count(before, { kind: 'FLIGHT_CANCELLED', status: ['SENT'] });
    const expected = confirmed * CHANNELS;

    let peakRss = before.memory.rssBytes;
    let peakHeap = before.memory.heapUsedBytes;
    const loadBefore = os.loadavg()[0]!;
    const started = performance.now();
    await graphql(
      url,
      'mutation($id: ID!) { cancelFlight(id: $id, reason: "Bench: technical fault") { id } }',
      { id: scheduleFlight.id },
      login.token,
    );
    let last: Stats = before;
    await until('every cancellation message to be SENT', 900_000, async () => {
      last = await stats(settings);
      peakRss = Math.max(peakRss, last.memory.rssBytes);
      peakHeap = Math.max(peakHeap, last.memory.heapUsedBytes);
      return (
        count(last, { kind: 'FLIGHT_CANCELLED', status: ['SENT', 'DEAD_LETTERED'] }) - sentBefore >=
        expected
      );
    });
    const elapsedMs = performance.now() - started;
    const cancelledAt = Date.now() - elapsedMs;

    // When each message reached its sink, from the sinks' own records.
    const sinkUrl = process.env.BENCH_SINK_URL ?? 'http://127.0.0.1:4020';
    const received = (await (await fetch(`${sinkUrl}/api/messages`)).json()) as {
      emails: { subject: string; receivedAt: string }[];
      sms: { text: string; receivedAt: string }[];
      push: { title: string | null; receivedAt: string }[];
    };
    const mark = `Flight ${scheduleFlight.number} on`;
    const arrival = (items: { at: string; text: string }[]) =>
      percentiles(
        items.filter((i) => i.text.startsWith(mark)).map((i) => Date.parse(i.at) - cancelledAt),
      );
    const own = await queuedToSent(url, login.token, mark, cancelledAt);
    return {
      passengers: confirmed,
      bookings: confirmed,
      channelsPerBooking: CHANNELS,
      messages: expected,
      sent: count(last, { kind: 'FLIGHT_CANCELLED', status: ['SENT'] }) - sentBefore,
      deadLettered: count(last, { kind: 'FLIGHT_CANCELLED', status: ['DEAD_LETTERED'] }),
      secondsUntilEveryMessageSent: +(elapsedMs / 1000).toFixed(2),
      messagesPerSecond: +(expected / (elapsedMs / 1000)).toFixed(1),
      arrivalAfterCancelMs: {
        email: arrival(received.emails.map((e) => ({ at: e.receivedAt, text: e.subject }))),
        sms: arrival(received.sms.map((m) => ({ at: m.receivedAt, text: m.text }))),
        push: arrival(received.push.map((m) => ({ at: m.receivedAt, text: m.title ?? '' }))),
      },
      // The service's own part: from a message being queued (composed, its refund recorded) to SENT.
      queuedToSentMs: percentiles(own),
      notificationsMemory: {
        peakRssMbDuringRun: +(peakRss / MB).toFixed(1),
        peakHeapUsedMbDuringRun: +(peakHeap / MB).toFixed(1),
        maxRssMbSinceStart: +(last.memory.maxRssBytes / MB).toFixed(1),
      },
      loadAverage1m: { before: +loadBefore.toFixed(2), after: +os.loadavg()[0]!.toFixed(2) },
    };
  },
};
