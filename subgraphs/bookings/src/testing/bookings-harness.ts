// Test support for the bookings suites: a bookings subgraph on a free port with its own
// databases, Redis keys and AMQP names; flights and payments replaced by in-process fakes (the
// saga's other side is played by publishing events straight to the broker, as a forger could);
// a recorder of what bookings publishes; its log lines; direct SQL; one `stop()` for all of it.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import type { ConsumeMessage } from 'amqplib';
import {
  AmqpConnection,
  COMMAND_EXCHANGE,
  createLogger,
  createRedis,
  databaseName,
  declareExchanges,
  EXCHANGES,
  newEvent,
  publishConfirmed,
  Role,
  routeOf,
  SeatHolds,
  TokenService,
  type AuthUser,
  type Config,
  type EventPayloads,
  type EventType,
  type Logger,
  type Message,
  type PaymentReceipt,
  type RunningServer,
} from '@airline/shared';
import {
  cleanupTestResources,
  subgraphClient,
  testConfig,
  waitFor,
  type GraphQLClient,
  type GraphQLResponse,
} from '@airline/shared/testing';
import type { FlightQuote, FlightsPort } from '../clients/flights-client.ts';
import type { PaymentRequest, PaymentsPort } from '../clients/payments-client.ts';
import { startBookings, type BookingsOptions } from '../service.ts';

/** What every fake seat costs. */
export const SEAT_PRICE = { amountMinor: 10_000, currency: 'USD' } as const;

/** Flights' seat quotes: every seat is free and priced SEAT_PRICE, the flight a month out. */
export class FakeFlights implements FlightsPort {
  quoteSeats(flightId: string, seats: string[]): Promise<FlightQuote> {
    return Promise.resolve({
      flight: {
        id: flightId,
        number: 'AS1234',
        status: 'SCHEDULED',
        origin: 'JFK',
        destination: 'BOS',
        departureTime: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      },
      seats: seats.map((number) => ({
        number,
        cabin: 'ECONOMY',
        status: 'AVAILABLE' as const,
        price: { ...SEAT_PRICE },
      })),
    });
  }
}

/**
 * Payments' intake as bookings sees it: records every request and, like payments, answers the
 * same idempotency key with the same payment. `answer` decides how each request ends (a test
 * makes it throw, or wait).
 */
export class FakePayments implements PaymentsPort {
  readonly requests: PaymentRequest[] = [];
  readonly #byKey = new Map<string, string>();
  answer: (request: PaymentRequest) => Promise<void> = () => Promise.resolve();

  async requestPayment(request: PaymentRequest): Promise<PaymentReceipt> {
    this.requests.push(request);
    const paymentId = this.#byKey.get(request.idempotencyKey) ?? randomUUID();
    this.#byKey.set(request.idempotencyKey, paymentId);
    await this.answer(request);
    return { paymentId, status: 'PENDING' };
  }

  /** The payment id this fake gave a request key. */
  paymentIdOf(requestKey: string): string | undefined {
    return this.#byKey.get(requestKey);
  }
}

/** One parsed log line of the service. */
export type LogLine = { level: number; msg: string } & Record<string, unknown>;

/** A booking row as SQL sees it. */
export interface BookingRow {
  id: string;
  reference: string;
  customer_id: string;
  status: string;
  saga_step: string | null;
  payment_id: string | null;
  payment_idempotency_key: string | null;
  payment_request_key: string | null;
  payment_requested_at: Date | null;
  paid_minor: number | null;
  paid_currency: string | null;
  status_version: number;
  hold_expires_at: Date | null;
  status_reason: string | null;
  payment_failures: number;
  payment_error_code: string | null;
  payment_error_message: string | null;
}

/** A running bookings subgraph and its test tools. */
export interface BookingsHarness {
  config: Config;
  server: RunningServer;
  graphql: GraphQLClient;
  payments: FakePayments;
  /** Everything bookings published on booking.events and every command it sent. */
  messages: Message[];
  logs: LogLine[];
  /** A customer (or agent) of its own, with a token. */
  user(role?: Role): Promise<AuthUser & { token: string }>;
  /** Publishes an event as its rightful producer would (or a forger could); returns it. */
  publish<T extends EventType>(type: T, payload: EventPayloads[T]): Promise<Message>;
  /** Publishes a message again, same id (a broker redelivery, a producer's retry). */
  republish(message: Message): Promise<void>;
  /** Waits for a log line of the service that matches. */
  logged(match: (line: LogLine) => boolean, what: string, timeoutMs?: number): Promise<LogLine>;
  /** Messages bookings has written to its outbox about a booking (published or not). */
  outboxCount(bookingId: string): Promise<number>;
  /** Which booking holds each of the seats in Redis (absent: not held). */
  heldSeats(flightId: string, seats: string[]): Promise<Map<string, string>>;
  /** Waits for a message bookings sent that matches. */
  sent(match: (message: Message) => boolean, what: string, timeoutMs?: number): Promise<Message>;
  booking(id: string): Promise<BookingRow>;
  sql<T extends object>(text: string, values?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

/** Starts bookings with fake flights and payments for one suite. */
export async function startBookingsHarness(
  label: string,
  overrides: Record<string, string> = {},
  options: BookingsOptions = {},
): Promise<BookingsHarness> {
  const config = testConfig(label, overrides);
  const logs: LogLine[] = [];
  const logger: Logger = pino(
    { level: 'info', base: { service: 'bookings' } },
    { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
  );
  const payments = new FakePayments();
  const server = await startBookings(config, {
    port: 0,
    flights: new FakeFlights(),
    payments,
    expirySweepMs: 100,
    logger,
    ...options,
  });
  const amqp = await AmqpConnection.connect(config, createLogger(config, `${label}-test`), {
    name: `${label}-test`,
  });
  const messages = await record(amqp);
  const tokens = new TokenService(config.jwt);
  const db = new pg.Pool({
    connectionString: `${config.postgresUrl}/${databaseName(config, 'bookings')}`,
    max: 3,
  });
  // An idle connection cut by the suite's own teardown (DROP DATABASE … FORCE) must not crash it.
  db.on('error', () => undefined);
  const sql = async <T extends object>(text: string, values: unknown[] = []): Promise<T[]> =>
    (await db.query(text, values)).rows as T[];
  const send = async (message: Message): Promise<void> => {
    const { exchange, routingKey } = routeOf(message);
    const channel = await amqp.publishChannel();
    await publishConfirmed(
      channel,
      amqp.name(exchange),
      routingKey,
      Buffer.from(JSON.stringify(message)),
      {
        persistent: true,
        messageId: message.id,
        contentType: 'application/json',
        type: message.type,
      },
    );
  };
  const redis = createRedis(config, `${label}-test`);
  const holds = new SeatHolds(redis);

  return {
    config,
    server,
    graphql: subgraphClient(config, 'bookings', `${server.url}/graphql`),
    payments,
    messages,
    logs,
    async user(role = Role.CUSTOMER) {
      const user: AuthUser = { id: randomUUID(), roles: [role] };
      return { ...user, token: await tokens.sign(user) };
    },
    async publish(type, payload) {
      const bookingId = (payload as { bookingId?: string }).bookingId ?? randomUUID();
      const message = newEvent(type, bookingId, payload, bookingId) as Message;
      await send(message);
      return message;
    },
    republish: (message) => send(message),
    logged: (match, what, timeoutMs = 10_000) => waitFor(what, () => logs.find(match), timeoutMs),
    async outboxCount(bookingId) {
      const [row] = await sql<{ n: string }>(
        `SELECT count(*) AS n FROM outbox WHERE payload->>'aggregateId' = $1`,
        [bookingId],
      );
      return Number(row!.n);
    },
    heldSeats: (flightId, seats) => holds.heldSeats(flightId, seats),
    sent: (match, what, timeoutMs = 10_000) => waitFor(what, () => messages.find(match), timeoutMs),
    booking: async (id) => {
      const [row] = await sql<BookingRow>('SELECT * FROM booking WHERE id = $1', [id]);
      if (!row) throw new Error(`no booking ${id}`);
      return row;
    },
    sql,
    async stop() {
      redis.disconnect();
      await amqp.close();
      await server.stop();
      await db.end();
      await cleanupTestResources(config);
    },
  };
}

// A temporary queue (gone with the connection) on booking.events and the saga's commands.
async function record(amqp: AmqpConnection): Promise<Message[]> {
  const messages: Message[] = [];
  const channel = await amqp.adminChannel();
  await declareExchanges(channel, amqp.prefix);
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, amqp.name(EXCHANGES.booking), '#');
  for (const command of ['RefundPayment', 'ConfirmSeats', 'ReleaseSeats'])
    await channel.bindQueue(queue, amqp.name(COMMAND_EXCHANGE), command);
  await channel.consume(
    queue,
    (msg: ConsumeMessage | null) => {
      if (msg) messages.push(JSON.parse(msg.content.toString('utf8')) as Message);
    },
    { noAck: true },
  );
  return messages;
}

/** GraphQL operations of the suites. */
export const ops = {
  create: `mutation($i: CreateBookingInput!) { createBooking(input: $i) { id status holdExpiresAt } }`,
  pay: `mutation($i: PayBookingInput!) { payBooking(input: $i) { id status } }`,
  cancel: `mutation($id: ID!) { cancelBooking(id: $id) { id status } }`,
};

/** Variables of createBooking for some seats. */
export const createInput = (flightId: string, seats: string[]) => ({
  i: {
    flightId,
    passengers: seats.map((seat, n) => ({
      givenName: `P${n}`,
      familyName: 'Lovelace',
      dateOfBirth: '1985-06-01',
      seat,
    })),
  },
});

/** Variables of payBooking with an approved-looking card. */
export const payInput = (bookingId: string, idempotencyKey = `pay-${bookingId}`) => ({
  i: {
    bookingId,
    idempotencyKey,
    card: {
      number: '4242424242424242',
      expMonth: 12,
      expYear: new Date().getUTCFullYear() + 2,
      cvc: '123',
      holderName: 'Ada Lovelace',
    },
  },
});

/** The `extensions.code` of each error. */
export const codes = (res: GraphQLResponse<unknown>): (string | undefined)[] =>
  (res.errors ?? []).map((e) => e.extensions?.code);
