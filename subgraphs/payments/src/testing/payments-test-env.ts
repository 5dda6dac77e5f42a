// Test support for the payments suites: a real simulator on port 0, a payments service on its
// own databases and AMQP prefix, a tap on the payment.events exchange, and helpers that read
// like the bookings side of the contract. `dispose()` removes everything the suite created.
import { waitFor } from '@airline/shared/testing';
import { randomUUID } from 'node:crypto';
import type { Channel, ConsumeMessage } from 'amqplib';
import pg from 'pg';
import { pino } from 'pino';
import {
  connectAmqp,
  createLogger,
  databaseName,
  EXCHANGES,
  newCommand,
  publishConfirmed,
  Role,
  ServiceTokens,
  TokenService,
  type AmqpConnection,
  type CommandPayloads,
  type Config,
  type EventEnvelope,
} from '@airline/shared';
import {
  cleanupTestResources,
  subgraphClient,
  testConfig,
  type GraphQLClient,
} from '@airline/shared/testing';
import {
  startPaymentProvider,
  type PaymentProviderHandle,
} from '../../../../payment-provider/src/server.ts';
import type { ProcessorStats } from '../../../../payment-provider/src/processor.ts';
import { startPayments, type PaymentsOptions, type PaymentsServer } from '../service.ts';

/** The design's test cards (DESIGN §2). */
export const Cards = {
  approved: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  slowTwice: '4000000000000119',
  unavailable: '4000000000000259',
} as const;

/** A logged-in caller. */
export interface Caller {
  id: string;
  roles: Role[];
  /** The end user's own access token (the internal endpoint refuses it). */
  token: string;
}

/** The JSON body bookings sends to `POST /internal/payments`. */
export interface PaymentBody {
  bookingId: string;
  customerId: string;
  amount: { amountMinor: number; currency: string };
  card: { number: string; expMonth: number; expYear: number; cvc: string; holderName: string };
  idempotencyKey: string;
}

/** An HTTP answer of the internal endpoint. */
export interface Reply {
  status: number;
  body: { paymentId?: string; status?: string; error?: { code: string; message: string } };
  ms: number;
}

/** A payment row as SQL sees it. */
export interface PaymentRow {
  id: string;
  booking_id: string;
  customer_id: string;
  status: string;
  attempts: number;
  failure_reason: string | null;
  card_brand: string;
  card_last4: string;
  refunded_minor: number;
  needs_reconciliation: boolean;
  provider_charge_id: string | null;
}

// Fast enough for tests, slow enough that a 202 provably beats the provider: the simulator
// stalls 0119 far longer than the adapter waits for an answer.
const SLOW_RESPONSE_MS = 2_000;

/** Adapter settings of the suites: short timeouts and backoff, a breaker that rarely opens. */
export const TEST_PROVIDER: NonNullable<PaymentsOptions['provider']> = {
  timeoutMs: 400,
  maxAttempts: 4,
  backoff: { initialDelayMs: 20, maxDelayMs: 80 },
  breaker: { threshold: 50, halfOpenAfterMs: 60_000 },
};

/**
 * Service options of the suites; a second instance on the same queue must use the same retry
 * policy, or the suite's cleanup would not know all of the queue's retry levels.
 */
export const TEST_OPTIONS: PaymentsOptions = {
  port: 0,
  provider: TEST_PROVIDER,
  // Tests run sweeps themselves.
  recoveryIntervalMs: 60_000,
  reconcileAfterMs: 0,
  // Long enough in total (about 2 s) for a refund to wait out a slow charge.
  refundRetry: { retries: 4, baseDelayMs: 150, factor: 2 },
};

/** One parsed log line of the service. */
export type LogLine = { level: number; msg: string } & Record<string, unknown>;

/** Everything one suite needs. */
export interface PaymentsTestEnv {
  config: Config;
  /** The service's warnings and errors (dead letters among them), parsed. */
  logs: LogLine[];
  provider: PaymentProviderHandle;
  service: PaymentsServer;
  /** The payments subgraph itself (no gateway), for `_entities` and queries. */
  graphql: GraphQLClient;
  agent: Caller;
  /** A new customer with a token. */
  customer(): Promise<Caller>;
  /** A valid request body for a customer, with a fresh booking and key unless overridden. */
  body(customer: Caller, card?: string, overrides?: Partial<PaymentBody>): PaymentBody;
  /**
   * Sends `POST /internal/payments` as bookings does: with bookings' service credential acting for
   * `as`; a string is sent as the bearer token instead, null sends none.
   */
  pay(body: unknown, as: Caller | string | null): Promise<Reply>;
  /** The payment row, or undefined. */
  payment(id: string): Promise<PaymentRow | undefined>;
  /** How many payment rows a booking has (a refused request must store none). */
  paymentsFor(bookingId: string): Promise<number>;
  /** Waits until the payment has left PENDING. */
  settled(id: string, timeoutMs?: number): Promise<PaymentRow>;
  /** SQL on the payments database. */
  sql<T extends object>(text: string, values?: unknown[]): Promise<T[]>;
  /** Every event published on payment.events since the suite started. */
  events: EventEnvelope[];
  /** Waits for an event of a type about a payment. */
  event<T extends EventEnvelope['type']>(
    type: T,
    paymentId: string,
    timeoutMs?: number,
  ): Promise<Extract<EventEnvelope, { type: T }>>;
  /** Publishes a command to payments' queue, as bookings' outbox would (returns its envelope). */
  refund(payload: CommandPayloads['RefundPayment'], envelopeId?: string): Promise<{ id: string }>;
  /** The simulator's counters. */
  stats(): Promise<ProcessorStats>;
  /** Stops the service and starts a new instance on the same databases (a restart). */
  restart(options?: PaymentsOptions): Promise<PaymentsServer>;
  dispose(): Promise<void>;
}

/** Starts the simulator and a payments service for one suite. */
export async function createPaymentsTestEnv(
  label: string,
  options: PaymentsOptions = {},
): Promise<PaymentsTestEnv> {
  const provider = await startPaymentProvider({ port: 0, slowResponseMs: SLOW_RESPONSE_MS });
  // Provider failures are what these suites provoke, and they log loudly by design: quiet
  // unless LOG_LEVEL asks for more (a failing test says what went wrong anyway).
  const config = testConfig(`pay${label}`, {
    PAYMENT_PROVIDER_URL: provider.url,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'fatal',
  });
  // Warnings and errors are kept for the suites to read; LOG_LEVEL still prints them.
  const logs: LogLine[] = [];
  const printing = createLogger(config, 'payments');
  const logger = pino(
    { level: 'warn', base: { service: 'payments' } },
    {
      write: (line: string) => {
        const parsed = JSON.parse(line) as LogLine;
        logs.push(parsed);
        printing[parsed.level >= 50 ? 'error' : 'warn'](parsed, parsed.msg);
      },
    },
  );
  const serviceOptions: PaymentsOptions = { ...TEST_OPTIONS, logger, ...options };
  let service = await startPayments(config, serviceOptions);
  const tokens = new TokenService(config.jwt);
  const bookingsCredentials = new ServiceTokens(config.serviceSecret, 'bookings');
  const db = new pg.Pool({
    connectionString: `${config.postgresUrl}/${databaseName(config, 'payments')}`,
    max: 2,
  });
  // An idle connection cut by the suite's own teardown (DROP DATABASE … FORCE) must not crash it.
  db.on('error', () => undefined);
  const amqp: AmqpConnection = await connectAmqp(
    config,
    createLogger(config, 'payments-test'),
    'payments-test',
  );
  const tap = await tapPaymentEvents(amqp);

  const sign = async (roles: Role[]): Promise<Caller> => {
    const id = randomUUID();
    return { id, roles, token: await tokens.sign({ id, roles }) };
  };
  const agent = await sign([Role.AGENT]);
  const sql = async <T extends object>(text: string, values: unknown[] = []): Promise<T[]> =>
    (await db.query(text, values)).rows as T[];
  const payment = async (id: string) =>
    (await sql<PaymentRow>('SELECT * FROM payment WHERE id = $1', [id]))[0];

  const env: PaymentsTestEnv = {
    config,
    logs,
    provider,
    get service() {
      return service;
    },
    get graphql() {
      return subgraphClient(config, 'payments', `${service.url}/graphql`);
    },
    agent,
    customer: () => sign([Role.CUSTOMER]),
    body: (customer, card = Cards.approved, overrides = {}) => ({
      bookingId: randomUUID(),
      customerId: customer.id,
      amount: { amountMinor: 12_900, currency: 'USD' },
      card: {
        number: card,
        expMonth: 12,
        expYear: new Date().getUTCFullYear() + 3,
        cvc: '123',
        holderName: 'Grace Hopper',
      },
      idempotencyKey: randomUUID(),
      ...overrides,
    }),
    async pay(body, as) {
      const token =
        as && typeof as === 'object' ? await bookingsCredentials.sign('payments', as) : as;
      const started = performance.now();
      const response = await fetch(`${service.url}/internal/payments`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const reply = (await response.json()) as Reply['body'];
      return { status: response.status, body: reply, ms: performance.now() - started };
    },
    payment,
    paymentsFor: async (bookingId) =>
      (
        await sql<{ n: number }>('SELECT count(*)::int AS n FROM payment WHERE booking_id = $1', [
          bookingId,
        ])
      )[0]!.n,
    settled: (id, timeoutMs = 10_000) =>
      waitFor(
        `payment ${id} to settle`,
        async () => {
          const row = await payment(id);
          return row && row.status !== 'PENDING' ? row : undefined;
        },
        timeoutMs,
      ),
    sql,
    events: tap.events,
    event: (type, paymentId, timeoutMs = 10_000) =>
      waitFor(
        `${type} for ${paymentId}`,
        () =>
          tap.events.find(
            (e): e is Extract<EventEnvelope, { type: typeof type }> =>
              e.type === type && (e.payload as { paymentId?: string }).paymentId === paymentId,
          ),
        timeoutMs,
      ),
    async refund(payload, envelopeId) {
      const command = { ...newCommand('RefundPayment', payload.paymentId, payload) };
      if (envelopeId) command.id = envelopeId;
      const channel = await amqp.publishChannel();
      await publishConfirmed(
        channel,
        amqp.name('commands'),
        'RefundPayment',
        Buffer.from(JSON.stringify(command)),
        {
          persistent: true,
          messageId: command.id,
          type: command.type,
          contentType: 'application/json',
        },
      );
      return { id: command.id };
    },
    stats: async () => (await (await fetch(`${provider.url}/v1/stats`)).json()) as ProcessorStats,
    async restart(options = {}) {
      await service.stop();
      service = await startPayments(config, { ...serviceOptions, ...options });
      return service;
    },
    async dispose() {
      try {
        await service.stop();
        // The suite's cleanup deletes the service's queues and the exchanges.
        const channel = await amqp.adminChannel();
        await channel.deleteQueue(tap.queue);
        await channel.close();
      } finally {
        await amqp.close();
        await db.end();
        await provider.close();
        await cleanupTestResources(config);
      }
    },
  };
  return env;
}

// An exclusive queue bound to everything on the prefixed payment.events exchange.
async function tapPaymentEvents(
  amqp: AmqpConnection,
): Promise<{ queue: string; events: EventEnvelope[] }> {
  const events: EventEnvelope[] = [];
  const channel: Channel = await amqp.adminChannel();
  const queue = amqp.name(`payments-test.tap.${randomUUID()}`);
  await channel.assertExchange(amqp.name(EXCHANGES.payment), 'topic', { durable: true });
  await channel.assertQueue(queue, { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, amqp.name(EXCHANGES.payment), '#');
  await channel.consume(
    queue,
    (msg: ConsumeMessage | null) => {
      if (msg) events.push(JSON.parse(msg.content.toString('utf8')) as EventEnvelope);
    },
    { noAck: true },
  );
  return { queue, events };
}

/** Re-exported for the suites that import it from here. */
export { waitFor };
