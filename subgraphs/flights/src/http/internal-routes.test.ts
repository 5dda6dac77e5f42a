// The seat-quote contract bookings relies on: POST /internal/seat-quotes.
import { randomUUID } from 'node:crypto';
import {
  scheduleTestFlight,
  sendCommand,
  startFlightsHarness,
  type FlightsHarness,
} from '../testing/flights-harness.ts';

let h: FlightsHarness;
let flightId: string;

beforeAll(async () => {
  h = await startFlightsHarness('quotes');
  flightId = await scheduleTestFlight(h, { number: 'AS7001', aircraft: 'A321', daysAhead: 3 });
});
afterAll(() => h?.stop());

/** Asks for a quote as bookings does (its service credential), or with the given bearer token. */
async function quote(body: unknown, given?: string | null) {
  const token = given === undefined ? await h.bookingsCredential() : given;
  const res = await fetch(`${h.server.url}/internal/seat-quotes`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const SEAT_PRICES = `query($id: ID!) { flight(id: $id) { seats { number status price { amount currency } } } }`;
async function seatPrices(): Promise<Map<string, { status: string; amount: string | null }>> {
  const { flight } = await h.graphql.data<{
    flight: { seats: { number: string; status: string; price: { amount: string } | null }[] };
  }>(SEAT_PRICES, { id: flightId });
  return new Map(
    flight.seats.map((s) => [s.number, { status: s.status, amount: s.price?.amount ?? null }]),
  );
}
const toMinor = (amount: string) => Math.round(Number(amount) * 100);

describe('POST /internal/seat-quotes', () => {
  test('answers the flight and each seat in the order asked, priced as the seat map shows it', async () => {
    const { status, body } = await quote({ flightId, seats: ['14F', '1A', '10B'] });
    expect(status).toBe(200);
    expect(body.flight).toMatchObject({
      id: flightId,
      number: 'AS7001',
      status: 'SCHEDULED',
      origin: 'LHR',
      destination: 'CDG',
    });
    // LHR keeps GMT in winter and BST in summer: either way the offset is London's.
    expect((body.flight as { departureTime: string }).departureTime).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:00:00\+0[01]:00$/,
    );
    const seats = body.seats as {
      number: string;
      cabin: string;
      status: string;
      price: { amountMinor: number; currency: string };
    }[];
    expect(seats.map((s) => [s.number, s.cabin, s.status])).toEqual([
      ['14F', 'ECONOMY', 'AVAILABLE'],
      ['1A', 'BUSINESS', 'AVAILABLE'],
      ['10B', 'ECONOMY', 'AVAILABLE'],
    ]);
    const shown = await seatPrices();
    for (const s of seats) {
      expect(s.price.currency).toBe('USD');
      expect(Number.isInteger(s.price.amountMinor)).toBe(true);
      expect(s.price.amountMinor).toBe(toMinor(shown.get(s.number)!.amount!));
    }
  });

  test('holds raise the load factor and so the quote; a hold itself is not a status here', async () => {
    // Hold 7 of the 16 business seats (>= 40 %): the business fare goes up by 10 %.
    const before = await quote({ flightId, seats: ['4F'] });
    const business = ['1A', '1C', '1D', '1F', '2A', '2C', '2D'];
    await h.holds.hold(flightId, business, randomUUID(), 60_000);
    const after = await quote({ flightId, seats: ['4F', '1A'] });
    const [fourF, oneA] = after.body.seats as { status: string; price: { amountMinor: number } }[];
    const beforePrice = (before.body.seats as { price: { amountMinor: number } }[])[0]!.price
      .amountMinor;
    expect(fourF!.price.amountMinor).toBeGreaterThan(beforePrice);
    expect(oneA!.status).toBe('AVAILABLE');
    const shown = await seatPrices();
    expect(shown.get('1A')!.status).toBe('HELD');
    expect(fourF!.price.amountMinor).toBe(toMinor(shown.get('4F')!.amount!));
  });

  test('booked and blocked seats carry their inventory status', async () => {
    const bookingId = randomUUID();
    await sendCommand(h.amqp, 'ConfirmSeats', { bookingId, flightId, seats: ['20A'] });
    await h.events.waitFor('SeatsConfirmed', (p) => p.bookingId === bookingId);
    const { body } = await quote({ flightId, seats: ['20A', '33C', '20B'] });
    expect((body.seats as { status: string }[]).map((s) => s.status)).toEqual([
      'BOOKED',
      'BLOCKED',
      'AVAILABLE',
    ]);
  });

  test('an unknown flight is 404 NOT_FOUND', async () => {
    for (const id of [randomUUID(), 'not-a-flight']) {
      const { status, body } = await quote({ flightId: id, seats: ['1A'] });
      expect(status).toBe(404);
      expect(body).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
  });

  test('seats the aircraft does not have are 400 BAD_USER_INPUT, listed', async () => {
    const { status, body } = await quote({ flightId, seats: ['1A', '99Z', '13A'] });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: 'BAD_USER_INPUT', seats: ['99Z', '13A'] } });
    expect((await quote({ flightId, seats: [] })).status).toBe(400);
    expect((await quote('{not json')).status).toBe(400);
  });

  test("needs bookings' service credential: none, a forged one or an end user's token is 401", async () => {
    for (const token of [null, 'forged.token.value', h.customerToken, h.agentToken]) {
      const { status, body } = await quote({ flightId, seats: ['1A'] }, token);
      expect(status).toBe(401);
      expect(body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    }
  });
});
