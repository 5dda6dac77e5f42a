// Test support for the flights suites: a flights subgraph on a free port with its own
// databases, Redis keys and AMQP names, plus what tests need around it (tokens, commands sent
// as the booking saga sends them, a recorder of flight events, seat holds written as bookings
// writes them, direct SQL) and one `stop()` that removes all of it.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { ConsumeMessage } from 'amqplib';
import {
  AmqpConnection,
  Role,
  SeatHolds,
  ServiceTokens,
  TokenService,
  createLogger,
  createRedis,
  databaseName,
  newCommand,
  newEvent,
  publishConfirmed,
  type CommandPayloads,
  type CommandType,
  type Config,
  type EventEnvelope,
  type EventPayloads,
  type EventType,
  type Redis,
  type RunningServer,
} from '@airline/shared';
import {
  cleanupTestResources,
  subgraphClient,
  testConfig,
  type GraphQLClient,
} from '@airline/shared/testing';
import { startFlights, type FlightsOptions } from '../service.ts';

/** Flight events as a test sees them on the broker. */
export class EventRecorder {
  readonly events: EventEnvelope[] = [];
  readonly #amqp: AmqpConnection;

  private constructor(amqp: AmqpConnection) {
    this.#amqp = amqp;
  }

  /** Binds a temporary queue (gone with the connection) to the prefixed `flight.events` exchange. */
  static async listen(amqp: AmqpConnection): Promise<EventRecorder> {
    const recorder = new EventRecorder(amqp);
    const channel = await amqp.adminChannel();
    await channel.assertExchange(amqp.name('flight.events'), 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, amqp.name('flight.events'), '#');
    await channel.consume(
      queue,
      (msg: ConsumeMessage | null) => {
        if (msg) recorder.events.push(JSON.parse(msg.content.toString('utf8')) as EventEnvelope);
      },
      { noAck: true },
    );
    return recorder;
  }

  /** Waits for the first event of a type whose payload matches. */
  async waitFor<T extends EventType>(
    type: T,
    match: (payload: EventPayloads[T]) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<EventPayloads[T]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(
        (e) => e.type === type && match(e.payload as EventPayloads[T]),
      );
      if (found) return found.payload as EventPayloads[T];
      if (Date.now() > deadline)
        throw new Error(
          `no ${type} within ${timeoutMs} ms; saw ${JSON.stringify(this.events.map((e) => e.type))}`,
        );
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Waits for the first event that matches, whatever its type. */
  async waitForAny(
    match: (event: EventEnvelope) => boolean,
    timeoutMs = 10_000,
  ): Promise<EventEnvelope> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching event within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Events of one type seen so far. */
  ofType<T extends EventType>(type: T): EventPayloads[T][] {
    return this.events.filter((e) => e.type === type).map((e) => e.payload as EventPayloads[T]);
  }

  /** The broker connection the recorder listens on. */
  get amqp(): AmqpConnection {
    return this.#amqp;
  }
}

/** Publishes a saga command to the prefixed command exchange, as bookings' relay would. */
export async function sendCommand<T extends CommandType>(
  amqp: AmqpConnection,
  type: T,
  payload: CommandPayloads[T],
): Promise<void> {
  const exchange = type === 'SendNotification' ? 'notification.requests' : 'commands';
  const message = newCommand(type, randomUUID(), payload);
  const channel = await amqp.publishChannel();
  await publishConfirmed(channel, amqp.name(exchange), type, Buffer.from(JSON.stringify(message)), {
    persistent: true,
    messageId: message.id,
    contentType: 'application/json',
    type,
  });
}

/** Publishes a bookings event to the prefixed `booking.events` exchange. */
export async function publishBookingEvent<T extends EventType>(
  amqp: AmqpConnection,
  type: T,
  payload: EventPayloads[T],
): Promise<void> {
  const message = newEvent(type, randomUUID(), payload);
  const channel = await amqp.publishChannel();
  await publishConfirmed(
    channel,
    amqp.name('booking.events'),
    type,
    Buffer.from(JSON.stringify(message)),
    { persistent: true, messageId: message.id, contentType: 'application/json', type },
  );
}

/** A running flights subgraph and its test tools. */
export interface FlightsHarness {
  config: Config;
  server: RunningServer;
  graphql: GraphQLClient;
  tokens: TokenService;
  agentToken: string;
  customerToken: string;
  /** Bookings' service credential for flights' internal endpoints, acting for a customer. */
  bookingsCredential: () => Promise<string>;
  amqp: AmqpConnection;
  events: EventRecorder;
  redis: Redis;
  holds: SeatHolds;
  /** Direct SQL on the flights database. */
  sql: pg.Pool;
  stop: () => Promise<void>;
}

/** Starts flights for one suite (no seeded days unless asked) and everything around it. */
export async function startFlightsHarness(
  label: string,
  options: FlightsOptions = {},
): Promise<FlightsHarness> {
  const config = testConfig(label);
  const server = await startFlights(config, { port: 0, ...options });
  const tokens = new TokenService(config.jwt);
  const amqp = await AmqpConnection.connect(config, createLogger(config, `${label}-test`), {
    name: `${label}-test`,
  });
  const events = await EventRecorder.listen(amqp);
  const redis = createRedis(config, `${label}-test`);
  const sql = new pg.Pool({
    connectionString: `${config.postgresUrl}/${databaseName(config, 'flights')}`,
    max: 3,
  });
  // An idle connection cut by the suite's own teardown (DROP DATABASE … FORCE) must not crash it.
  sql.on('error', () => undefined);
  return {
    config,
    server,
    graphql: subgraphClient(config, 'flights', `${server.url}/graphql`),
    tokens,
    agentToken: await tokens.sign({ id: randomUUID(), roles: [Role.AGENT] }),
    customerToken: await tokens.sign({ id: randomUUID(), roles: [Role.CUSTOMER] }),
    bookingsCredential: () =>
      new ServiceTokens(config.serviceSecret, 'bookings').sign('flights', {
        id: randomUUID(),
        roles: [Role.CUSTOMER],
      }),
    amqp,
    events,
    redis,
    holds: new SeatHolds(redis),
    sql,
    stop: async () => {
      await amqp.close();
      await server.stop();
      redis.disconnect();
      await sql.end();
      await cleanupTestResources(config);
    },
  };
}

const SCHEDULE = `mutation($input: ScheduleFlightInput!) {
  scheduleFlight(input: $input) { id number departureTime aircraft { code } }
}`;

/** Schedules a flight as an agent, `daysAhead` days from now at 10:00 UTC; returns its id. */
export async function scheduleTestFlight(
  h: Pick<FlightsHarness, 'graphql' | 'agentToken'>,
  input: {
    number: string;
    origin?: string;
    destination?: string;
    aircraft?: string;
    daysAhead?: number;
  },
): Promise<string> {
  const day = new Date(Date.now() + (input.daysAhead ?? 5) * 86_400_000);
  day.setUTCHours(10, 0, 0, 0);
  const res = await h.graphql.data<{ scheduleFlight: { id: string } }>(
    SCHEDULE,
    {
      input: {
        number: input.number,
        origin: input.origin ?? 'LHR',
        destination: input.destination ?? 'CDG',
        departureTime: day.toISOString(),
        aircraft: input.aircraft ?? 'A320',
      },
    },
    { token: h.agentToken },
  );
  return res.scheduleFlight.id;
}
