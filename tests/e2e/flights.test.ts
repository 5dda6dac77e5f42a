// Flights through the gateway, as web and mobile clients and airline staff use them.
import { AmqpConnection, createLogger } from '@airline/shared';
import { errorCodes, type GraphQLClient } from '@airline/shared/testing';
import { addDays, localDateInZone } from '../../subgraphs/flights/src/domain/zoned-time.ts';
import { EventRecorder } from '../../subgraphs/flights/src/testing/flights-harness.ts';
import { agentToken, newCustomer } from '../testkit/flows.ts';
import { startStack, type TestStack } from '../testkit/stack.ts';

let stack: TestStack;
let gw: GraphQLClient;
let agent: string;
let amqp: AmqpConnection;
let events: EventRecorder;

beforeAll(async () => {
  stack = await startStack('flights');
  gw = stack.gateway;
  agent = await agentToken(gw, stack.config);
  amqp = await AmqpConnection.connect(stack.config, createLogger(stack.config, 'flights-e2e'), {
    name: 'flights-e2e',
  });
  events = await EventRecorder.listen(amqp);
});
afterAll(async () => {
  await amqp?.close();
  await stack?.stop();
});

const SCHEDULE = `mutation($input: ScheduleFlightInput!) {
  scheduleFlight(input: $input) { id number status gate departureTime arrivalTime durationMinutes aircraft { code name } }
}`;
const FLIGHT = `query($id: ID!) { flight(id: $id) {
  id number status gate delayReason cancellationReason departureTime arrivalTime scheduledDepartureTime
} }`;
const SEARCH = `query($input: FlightSearchInput!) { searchFlights(input: $input) {
  id number departureTime arrivalTime status
  origin { code city timeZone } destination { code city timeZone }
  availableSeats economy: availableSeats(cabin: ECONOMY)
  fare { amount currency } business: fare(cabin: BUSINESS) { amount currency }
  seats(cabin: BUSINESS) { number row column cabin status features price { amount currency } }
} }`;

// JFK is behind UTC, LHR keeps GMT/BST: the two offsets of one flight differ.
const searchDay = addDays(localDateInZone(new Date(), 'America/New_York'), 12);
let seq = 0;

async function schedule(overrides: Record<string, unknown> = {}, token = agent) {
  return gw.request<{
    scheduleFlight: {
      id: string;
      number: string;
      status: string;
      gate: string;
      departureTime: string;
      arrivalTime: string;
    };
  }>(
    SCHEDULE,
    {
      input: {
        number: `AS${8100 + ++seq}`,
        origin: 'JFK',
        destination: 'LHR',
        // 19:00 UTC is 14:00 or 15:00 in New York on the search day.
        departureTime: `${searchDay}T19:00:00Z`,
        aircraft: 'B789',
        ...overrides,
      },
    },
    { token },
  );
}
async function scheduled(overrides: Record<string, unknown> = {}) {
  const res = await schedule(overrides);
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.scheduleFlight;
}

describe('searching and seat maps', () => {
  test('a traveller searches JFK to LHR and sees local times, fares and the business seat map', async () => {
    const flight = await scheduled();
    const { searchFlights } = await gw.data<{ searchFlights: Record<string, unknown>[] }>(SEARCH, {
      input: { origin: 'JFK', destination: 'LHR', date: searchDay, passengers: 2 },
    });
    const found = searchFlights.find((f) => f.id === flight.id)!;
    expect(found).toMatchObject({
      number: flight.number,
      status: 'SCHEDULED',
      origin: { code: 'JFK', city: 'New York', timeZone: 'America/New_York' },
      destination: { code: 'LHR', city: 'London', timeZone: 'Europe/London' },
      availableSeats: 289,
      economy: 222,
      fare: { currency: 'USD' },
    });
    expect(found.departureTime).toMatch(new RegExp(`^${searchDay}T1[45]:00:00-0[45]:00$`));
    expect(found.arrivalTime).toMatch(/\+0[01]:00$/);
    expect(new Date(found.departureTime as string).toISOString()).toBe(
      `${searchDay}T19:00:00.000Z`,
    );
    const business = found.business as { amount: string };
    expect(business.amount).toMatch(/^\d+\.00$/);
    const seats = found.seats as {
      number: string;
      cabin: string;
      status: string;
      features: string[];
      price: { amount: string };
    }[];
    expect(seats).toHaveLength(32);
    expect(seats[0]).toMatchObject({
      number: '1A',
      row: 1,
      column: 'A',
      cabin: 'BUSINESS',
      status: 'AVAILABLE',
      features: ['WINDOW', 'AISLE'],
      price: { amount: business.amount, currency: 'USD' },
    });
  });

  test('airports: the served network with IANA zones and direct destinations', async () => {
    await scheduled();
    const { airports } = await gw.data<{
      airports: { code: string; timeZone: string; destinations: { code: string }[] }[];
    }>('{ airports { code name city country timeZone destinations { code } } }');
    expect(airports.length).toBeGreaterThanOrEqual(40);
    expect(airports.find((a) => a.code === 'JFK')).toMatchObject({
      timeZone: 'America/New_York',
      destinations: expect.arrayContaining([{ code: 'LHR' }]),
    });
  });

  test.each([
    ['an unknown airport', { origin: 'QQQ' }, /origin/],
    ['a malformed date', { date: '2026-13-01' }, /YYYY-MM-DD/],
    ['a date in the past', { date: '2001-01-01' }, /past/],
    ['too many passengers', { passengers: 12 }, /passengers/],
    ['the same airport twice', { destination: 'JFK' }, /differ/],
  ])('%s is BAD_USER_INPUT through the gateway', async (_label, override, message) => {
    const res = await gw.request(SEARCH, {
      input: { origin: 'JFK', destination: 'LHR', date: searchDay, ...override },
    });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.message).toMatch(message);
  });
});

describe('airline staff change the schedule', () => {
  test('an agent delays a flight: passengers see the new times and FlightDelayed reaches RabbitMQ', async () => {
    const flight = await scheduled();
    const later = new Date(Date.parse(`${searchDay}T19:00:00Z`) + 95 * 60_000).toISOString();
    const { delayFlight } = await gw.data<{ delayFlight: Record<string, string> }>(
      `mutation($id: ID!, $t: DateTime!) { delayFlight(id: $id, newDepartureTime: $t, reason: "Late inbound aircraft") {
        status delayReason departureTime scheduledDepartureTime } }`,
      { id: flight.id, t: later },
      { token: agent },
    );
    expect(delayFlight.status).toBe('DELAYED');
    expect(delayFlight.delayReason).toBe('Late inbound aircraft');
    expect(delayFlight.scheduledDepartureTime).toBe(flight.departureTime);
    expect(Date.parse(delayFlight.departureTime!)).toBe(Date.parse(later));
    const event = await events.waitFor('FlightDelayed', (p) => p.flightId === flight.id);
    expect(event).toMatchObject({
      number: flight.number,
      oldDepartureTime: flight.departureTime,
      newDepartureTime: delayFlight.departureTime,
      oldArrivalTime: flight.arrivalTime,
      reason: 'Late inbound aircraft',
    });
    expect(Date.parse(event.newArrivalTime) - Date.parse(event.oldArrivalTime)).toBe(95 * 60_000);
  });

  test('an agent changes the gate (GateChanged) and cancels the flight (FlightCancelled)', async () => {
    const flight = await scheduled({ gate: 'B12' });
    await gw.data(
      'mutation($id: ID!) { changeGate(id: $id, gate: "c7") { gate } }',
      { id: flight.id },
      { token: agent },
    );
    expect(await events.waitFor('GateChanged', (p) => p.flightId === flight.id)).toMatchObject({
      oldGate: 'B12',
      newGate: 'C7',
    });
    await gw.data(
      'mutation($id: ID!) { cancelFlight(id: $id, reason: "Crew shortage") { status } }',
      { id: flight.id },
      { token: agent },
    );
    expect(await events.waitFor('FlightCancelled', (p) => p.flightId === flight.id)).toMatchObject({
      number: flight.number,
      departureTime: flight.departureTime,
      reason: 'Crew shortage',
    });
    const { flight: after } = await gw.data<{ flight: Record<string, string> }>(FLIGHT, {
      id: flight.id,
    });
    expect(after).toMatchObject({
      status: 'CANCELLED',
      gate: 'C7',
      cancellationReason: 'Crew shortage',
    });
    // A cancelled flight takes no more changes.
    const res = await gw.request(
      'mutation($id: ID!) { changeGate(id: $id, gate: "D1") { gate } }',
      { id: flight.id },
      { token: agent },
    );
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  });

  test('customers are FORBIDDEN and anonymous callers UNAUTHENTICATED; nothing changes', async () => {
    const flight = await scheduled();
    const customer = await newCustomer(gw);
    const cancel = 'mutation($id: ID!) { cancelFlight(id: $id, reason: "No") { status } }';
    expect(
      errorCodes(await gw.request(cancel, { id: flight.id }, { token: customer.token })),
    ).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gw.request(cancel, { id: flight.id }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await schedule({}, customer.token))).toEqual(['FORBIDDEN']);
    const { flight: after } = await gw.data<{ flight: { status: string } }>(FLIGHT, {
      id: flight.id,
    });
    expect(after.status).toBe('SCHEDULED');
    expect(events.ofType('FlightCancelled').some((p) => p.flightId === flight.id)).toBe(false);
  });

  test.each([
    ['a delay to an earlier time', 'delay', { t: `${searchDay}T18:00:00Z`, reason: 'x' }, /later/],
    [
      'an over-long reason',
      'delay',
      { t: `${searchDay}T21:00:00Z`, reason: 'x'.repeat(501) },
      /500/,
    ],
    ['a gate that is not one', 'gate', { gate: 'GATE-12!' }, /gate/],
  ])('%s is BAD_USER_INPUT', async (_label, kind, args, message) => {
    const flight = await scheduled();
    const res =
      kind === 'delay'
        ? await gw.request(
            'mutation($id: ID!, $t: DateTime!, $reason: String!) { delayFlight(id: $id, newDepartureTime: $t, reason: $reason) { id } }',
            { id: flight.id, ...args },
            { token: agent },
          )
        : await gw.request(
            'mutation($id: ID!, $gate: String!) { changeGate(id: $id, gate: $gate) { id } }',
            { id: flight.id, ...args },
            { token: agent },
          );
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.message).toMatch(message);
  });

  test('scheduling the same number twice on one day is BAD_USER_INPUT', async () => {
    const flight = await scheduled();
    const again = await schedule({
      number: flight.number,
      departureTime: `${searchDay}T20:00:00Z`,
    });
    expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);
    expect(again.errors?.[0]?.message).toMatch(/already departs/);
  });
});

test('the flights subgraph is ready only with PostgreSQL, Redis and RabbitMQ', async () => {
  const res = await fetch(`${stack.subgraphs.flights!.url}/health/ready`);
  expect(await res.json()).toEqual({
    status: 'ok',
    checks: [
      { name: 'postgres', ok: true },
      { name: 'redis', ok: true },
      { name: 'rabbitmq', ok: true },
    ],
  });
});
