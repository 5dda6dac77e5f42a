// The steady load of a chaos scenario: customers booking seats, paying with a mix of the provider's
// test cards (approved, declined then another card, insufficient funds, slow then approved),
// abandoning holds, cancelling before and after paying; an agent cancelling a flight. It keeps
// going while faults hit: a failed request is counted and the customer carries on, retrying a
// payment once under the same idempotency key as a real client would.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** The operations the load counts. */
export type Operation = 'create' | 'pay' | 'cancel' | 'read' | 'cancelFlight';

/** Per operation: sent, answered without error, refused by a rule (an expected error), failed. */
export interface OperationCount {
  attempted: number;
  completed: number;
  refused: number;
  failed: number;
}

/** What the clients were told about a booking (the "acknowledged" facts a crash must not undo). */
export interface AcknowledgedBooking {
  id: string;
  flightId: string;
  /** Statuses the client has been answered with, in order. */
  seen: string[];
  /** A cancellation was sent for it (answered or not). */
  cancelRequested: boolean;
  /** Its cancellation was acknowledged (answered CANCELLED). */
  cancelAcknowledged: boolean;
}

/** Test cards of the provider simulator. */
const CARDS = {
  approved: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  slowThenApproved: '4000000000000119',
} as const;

// Business refusals the load expects under contention and at the edges of a hold's life.
const REFUSALS = new Set([
  'SEAT_UNAVAILABLE',
  'BAD_USER_INPUT',
  'HOLD_EXPIRED',
  'PAYMENT_DECLINED',
  'PAYMENT_UNAVAILABLE',
  'IDEMPOTENCY_CONFLICT',
  'RATE_LIMITED',
  'NOT_FOUND',
]);

interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

type Outcome<T> =
  | { kind: 'ok'; data: T }
  | { kind: 'refused'; code: string; why: string }
  | { kind: 'failed'; why: string };

/** A client of the gateway with a deadline on every request (a hung request is a failed one). */
export class GatewayClient {
  readonly #url: string;
  constructor(url: string) {
    this.#url = url;
  }

  async send<T>(
    query: string,
    variables: Record<string, unknown>,
    token?: string,
  ): Promise<Outcome<T>> {
    let body: GraphQLBody<T>;
    try {
      const res = await fetch(this.#url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(20_000),
      });
      body = (await res.json()) as GraphQLBody<T>;
    } catch (err) {
      return { kind: 'failed', why: (err as Error).message };
    }
    const code = body.errors?.[0]?.extensions?.code;
    if (body.errors?.length || !body.data) {
      const why = `${code ?? 'no code'}: ${body.errors?.[0]?.message ?? 'no data'}`;
      return code && REFUSALS.has(code) ? { kind: 'refused', code, why } : { kind: 'failed', why };
    }
    return { kind: 'ok', data: body.data };
  }

  /**
   * Like `send`, retried until it succeeds (set-up steps, not measured); fails after the deadline.
   * `variables` may be a function, for a request that must differ per attempt.
   */
  async must<T>(
    query: string,
    variables: Record<string, unknown> | (() => Record<string, unknown>),
    token?: string,
    timeoutMs = 60_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const outcome = await this.send<T>(
        query,
        typeof variables === 'function' ? variables() : variables,
        token,
      );
      if (outcome.kind === 'ok') return outcome.data;
      if (Date.now() > deadline)
        throw new Error(`gateway request kept failing: ${JSON.stringify(outcome)}`);
      await sleep(500);
    }
  }
}

/** A customer of the load. */
export interface Customer {
  token: string;
}

/** Registers `count` customers (before any fault). */
export async function registerCustomers(
  client: GatewayClient,
  count: number,
  label: string,
): Promise<Customer[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const { register } = await client.must<{ register: { token: string } }>(
        'mutation($i: RegisterInput!) { register(input: $i) { token } }',
        {
          i: {
            email: `chaos.${label}.${i}.${randomUUID().slice(0, 8)}@example.com`,
            password: 'correct horse 42',
            name: `Chaos Flyer ${i}`,
          },
        },
      );
      return { token: register.token };
    }),
  );
}

/** The agent's token. */
export async function agentToken(
  client: GatewayClient,
  email: string,
  password: string,
): Promise<string> {
  const { login } = await client.must<{ login: { token: string } }>(
    'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
    { e: email, p: password },
  );
  return login.token;
}

/** A flight of its own for one scenario, and its seat numbers. */
export async function scheduleFlight(
  client: GatewayClient,
  agent: string,
): Promise<{ id: string; seats: string[] }> {
  // A fresh number and departure per attempt: a number may already fly that day.
  const input = () => {
    const departure = new Date(Date.now() + (20 + Math.floor(Math.random() * 200)) * 86_400_000);
    departure.setUTCHours(
      6 + Math.floor(Math.random() * 14),
      Math.floor(Math.random() * 12) * 5,
      0,
      0,
    );
    return {
      i: {
        number: `CH${1000 + Math.floor(Math.random() * 8999)}`,
        origin: 'JFK',
        destination: 'BOS',
        departureTime: departure.toISOString(),
        aircraft: 'A320',
      },
    };
  };
  const { scheduleFlight } = await client.must<{
    scheduleFlight: { id: string; seats: { number: string }[] };
  }>(
    'mutation($i: ScheduleFlightInput!) { scheduleFlight(input: $i) { id seats { number } } }',
    input,
    agent,
  );
  return { id: scheduleFlight.id, seats: scheduleFlight.seats.map((s) => s.number) };
}

const card = (number: string) => ({
  number,
  expMonth: 12,
  expYear: new Date().getUTCFullYear() + 2,
  cvc: '123',
  holderName: 'Chaos Flyer',
});

/** Everything one run of the load did and was told. */
export class LoadResult {
  readonly operations: Record<Operation, OperationCount> = {
    create: { attempted: 0, completed: 0, refused: 0, failed: 0 },
    pay: { attempted: 0, completed: 0, refused: 0, failed: 0 },
    cancel: { attempted: 0, completed: 0, refused: 0, failed: 0 },
    read: { attempted: 0, completed: 0, refused: 0, failed: 0 },
    cancelFlight: { attempted: 0, completed: 0, refused: 0, failed: 0 },
  };
  readonly bookings = new Map<string, AcknowledgedBooking>();
  /** When a booking was last created successfully (recovery is measured from these). */
  readonly createdAt: number[] = [];
  /** Flights the agent asked to cancel (answered or not), and those whose cancellation was acknowledged. */
  readonly flightCancelRequested = new Set<string>();
  readonly cancelledFlights = new Set<string>();
  /** A few failure and refusal messages, for the report when something is off. */
  readonly failures: string[] = [];
  readonly refusals = new Map<string, number>();

  count<T>(operation: Operation, outcome: Outcome<T>): Outcome<T> {
    const c = this.operations[operation];
    c.attempted++;
    if (outcome.kind === 'ok') c.completed++;
    else if (outcome.kind === 'refused') {
      c.refused++;
      const key = `${operation} ${outcome.code}`;
      this.refusals.set(key, (this.refusals.get(key) ?? 0) + 1);
    } else {
      c.failed++;
      if (this.failures.length < 20) this.failures.push(`${operation}: ${outcome.why}`);
    }
    return outcome;
  }
}

/** What drives the load. */
export interface LoadPlan {
  client: GatewayClient;
  customers: Customer[];
  /** The first takes most bookings; the last is the one the agent cancels. */
  flights: { id: string; seats: string[] }[];
  agent: string;
  /** When (ms after the start) the agent cancels the last flight. */
  cancelFlightAfterMs: number;
}

type Booked = { id: string; status: string };
const BOOKING = 'id status';

/** Runs the load until `stop` resolves; resolves with everything it did once every customer stopped. */
export async function runLoad(plan: LoadPlan, stop: Promise<void>): Promise<LoadResult> {
  const result = new LoadResult();
  let stopped = false;
  void stop.then(() => (stopped = true));
  const started = Date.now();
  const { client } = plan;

  const create = async (customer: Customer): Promise<Booked | undefined> => {
    const flight =
      Math.random() < 0.75 || plan.flights.length === 1 ? plan.flights[0]! : plan.flights.at(-1)!;
    const count = Math.random() < 0.7 ? 1 : 2;
    const seats = Array.from(
      { length: count },
      () => flight.seats[Math.floor(Math.random() * flight.seats.length)]!,
    );
    const outcome = result.count(
      'create',
      await client.send<{ createBooking: Booked }>(
        `mutation($i: CreateBookingInput!) { createBooking(input: $i) { ${BOOKING} } }`,
        {
          i: {
            flightId: flight.id,
            idempotencyKey: randomUUID(),
            passengers: [...new Set(seats)].map((seat, i) => ({
              givenName: `P${i}`,
              familyName: 'Chaos',
              dateOfBirth: '1985-06-01',
              seat,
            })),
          },
        },
        customer.token,
      ),
    );
    if (outcome.kind !== 'ok') return undefined;
    const booking = outcome.data.createBooking;
    result.createdAt.push(Date.now());
    result.bookings.set(booking.id, {
      id: booking.id,
      flightId: flight.id,
      seen: [booking.status],
      cancelRequested: false,
      cancelAcknowledged: false,
    });
    return booking;
  };

  const seen = (id: string, status: string) => result.bookings.get(id)?.seen.push(status);

  const pay = async (
    customer: Customer,
    id: string,
    number: string,
  ): Promise<string | undefined> => {
    const key = randomUUID();
    for (let attempt = 0; attempt < 2; attempt++) {
      const outcome = result.count(
        'pay',
        await client.send<{ payBooking: Booked }>(
          `mutation($i: PayBookingInput!) { payBooking(input: $i) { ${BOOKING} } }`,
          { i: { bookingId: id, idempotencyKey: key, card: card(number) } },
          customer.token,
        ),
      );
      if (outcome.kind === 'ok') {
        seen(id, outcome.data.payBooking.status);
        return outcome.data.payBooking.status;
      }
      // A lost answer: the same key again, which never charges twice.
      if (outcome.kind === 'refused') return undefined;
      await sleep(500);
    }
    return undefined;
  };

  const read = async (customer: Customer, id: string): Promise<string | undefined> => {
    const outcome = result.count(
      'read',
      await client.send<{ booking: Booked }>(
        `query($id: ID!) { booking(id: $id) { ${BOOKING} } }`,
        { id },
        customer.token,
      ),
    );
    if (outcome.kind !== 'ok') return undefined;
    seen(id, outcome.data.booking.status);
    return outcome.data.booking.status;
  };

  /** Polls until the saga has answered the payment (or gives up: the invariants check the end). */
  const settle = async (customer: Customer, id: string): Promise<string | undefined> => {
    for (let i = 0; i < 12 && !stopped; i++) {
      const status = await read(customer, id);
      if (status && status !== 'PAYMENT_PENDING') return status;
      await sleep(400);
    }
    return undefined;
  };

  const cancel = async (customer: Customer, id: string) => {
    const booking = result.bookings.get(id);
    if (booking) booking.cancelRequested = true;
    const outcome = result.count(
      'cancel',
      await client.send<{ cancelBooking: Booked }>(
        `mutation($id: ID!) { cancelBooking(id: $id, reason: "chaos") { ${BOOKING} } }`,
        { id },
        customer.token,
      ),
    );
    if (outcome.kind === 'ok' && booking) {
      booking.seen.push(outcome.data.cancelBooking.status);
      booking.cancelAcknowledged = outcome.data.cancelBooking.status === 'CANCELLED';
    }
  };

  // The slow card times out twice per charge; from every customer at once its timeouts would
  // open payments' provider breaker for everyone, so one customer pays with it now and then.
  const customerLoop = async (customer: Customer, index: number) => {
    const slowCard = index === 0 ? CARDS.slowThenApproved : CARDS.approved;
    while (!stopped) {
      const booking = await create(customer);
      if (booking) {
        const roll = Math.random();
        let status: string | undefined;
        if (roll < 0.45) status = await pay(customer, booking.id, CARDS.approved);
        else if (roll < 0.55) status = await pay(customer, booking.id, slowCard);
        else if (roll < 0.7) {
          // Declined: the booking comes back HELD; pay again with a card that works.
          if (
            (await pay(customer, booking.id, CARDS.declined)) &&
            (await settle(customer, booking.id)) === 'HELD'
          )
            status = await pay(customer, booking.id, CARDS.approved);
        } else if (roll < 0.8) status = await pay(customer, booking.id, CARDS.insufficientFunds);
        else if (roll < 0.9) await cancel(customer, booking.id);
        // else: abandoned, the hold expires.
        if (status) {
          const final = await settle(customer, booking.id);
          if (final === 'CONFIRMED' && Math.random() < 0.25) await cancel(customer, booking.id);
        }
      }
      await sleep(100 + Math.random() * 200);
    }
  };

  const agentLoop = async () => {
    const flight = plan.flights.at(-1)!;
    if (plan.flights.length < 2) return;
    await Promise.race([sleep(plan.cancelFlightAfterMs), stop]);
    // The agent insists until the airline's decision is recorded, faults or not.
    result.flightCancelRequested.add(flight.id);
    while (!result.cancelledFlights.has(flight.id)) {
      const outcome = result.count(
        'cancelFlight',
        await client.send<{ cancelFlight: { id: string } }>(
          'mutation($id: ID!) { cancelFlight(id: $id, reason: "chaos: crew unavailable") { id } }',
          { id: flight.id },
          plan.agent,
        ),
      );
      if (outcome.kind === 'ok') result.cancelledFlights.add(flight.id);
      // Refused: an earlier attempt whose answer was lost cancelled it already.
      else if (outcome.kind === 'refused') break;
      else await sleep(500);
      if (Date.now() - started > 120_000) break;
    }
  };

  await Promise.all([...plan.customers.map((c, i) => customerLoop(c, i)), agentLoop()]);
  return result;
}
