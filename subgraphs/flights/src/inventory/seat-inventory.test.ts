// The booking saga's side of the inventory, against the real PostgreSQL, Redis and RabbitMQ:
// commands arrive on `flights.commands` as bookings sends them, answers leave through the
// outbox on `flight.events`.
import { randomUUID } from 'node:crypto';
import {
  publishBookingEvent,
  scheduleTestFlight,
  sendCommand,
  startFlightsHarness,
  type FlightsHarness,
} from '../testing/flights-harness.ts';

let h: FlightsHarness;
let n = 0;
const nextNumber = () => `AS${9000 + ++n}`;

beforeAll(async () => {
  h = await startFlightsHarness('inventory');
});
afterAll(() => h?.stop());

const SEATS = `query($id: ID!) { flight(id: $id) { availableSeats(cabin: ECONOMY) seats { number status } } }`;
async function statuses(flightId: string, seats: string[]): Promise<Record<string, string>> {
  const { flight } = await h.graphql.data<{
    flight: { seats: { number: string; status: string }[] };
  }>(SEATS, { id: flightId });
  return Object.fromEntries(
    flight.seats.filter((s) => seats.includes(s.number)).map((s) => [s.number, s.status]),
  );
}
async function rowsOf(flightId: string) {
  const { rows } = await h.sql.query<{
    seat_number: string;
    booking_id: string | null;
    status: string;
  }>(
    'SELECT seat_number, booking_id, status FROM flight_seat WHERE flight_id = $1 ORDER BY seat_number',
    [flightId],
  );
  return rows;
}
async function confirm(flightId: string, seats: string[], bookingId = randomUUID()) {
  await sendCommand(h.amqp, 'ConfirmSeats', { bookingId, flightId, seats });
  return bookingId;
}
/** Flights' answer to a ConfirmSeats of this booking, whichever it is. */
async function answerTo(bookingId: string) {
  const event = await h.events.waitForAny(
    (e) =>
      (e.type === 'SeatsConfirmed' || e.type === 'SeatsRejected') &&
      e.payload.bookingId === bookingId,
  );
  return { type: event.type, ...(event.payload as { bookingId: string; seats: string[] }) };
}

describe('ConfirmSeats', () => {
  test('books every seat for the booking and answers SeatsConfirmed; the seat map shows BOOKED', async () => {
    const flightId = await scheduleTestFlight(h, { number: nextNumber() });
    const bookingId = await confirm(flightId, ['12B', '12A']);
    expect(await answerTo(bookingId)).toMatchObject({
      type: 'SeatsConfirmed',
      flightId,
      seats: ['12B', '12A'],
    });
    expect(await statuses(flightId, ['12A', '12B', '12C'])).toEqual({
      '12A': 'BOOKED',
      '12B': 'BOOKED',
      '12C': 'AVAILABLE',
    });
    expect(await rowsOf(flightId)).toEqual([
      { seat_number: '12A', booking_id: bookingId, status: 'BOOKED' },
      { seat_number: '12B', booking_id: bookingId, status: 'BOOKED' },
    ]);
  });

  test('is idempotent: the same booking confirming again is confirmed again, nothing doubles', async () => {
    const flightId = await scheduleTestFlight(h, { number: nextNumber() });
    const bookingId = await confirm(flightId, ['7C']);
    await answerTo(bookingId);
    await confirm(flightId, ['7C'], bookingId);
    await h.events.waitFor(
      'SeatsConfirmed',
      () => h.events.ofType('SeatsConfirmed').filter((p) => p.bookingId === bookingId).length === 2,
    );
    expect(h.events.ofType('SeatsRejected').filter((p) => p.bookingId === bookingId)).toEqual([]);
    expect(await rowsOf(flightId)).toHaveLength(1);
  });

  test('a seat another booking has rejects the whole request and changes nothing', async () => {
    const flightId = await scheduleTestFlight(h, { number: nextNumber() });
    const first = await confirm(flightId, ['14C']);
    await answerTo(first);
    const second = await confirm(flightId, ['14B', '14C', '14D']);
    expect(await answerTo(second)).toMatchObject({
      type: 'SeatsRejected',
      seats: ['14C'],
      reason: 'seat taken: 14C',
    });
    expect((await rowsOf(flightId)).map((r) => [r.seat_number, r.booking_id])).toEqual([
      ['14C', first],
    ]);
  });

  test('two bookings racing for 21F: exactly one gets it', async () => {
    const flightId = await scheduleTestFlight(h, { number: nextNumber() });
    const [a, b] = [randomUUID(), randomUUID()];
    await Promise.all([confirm(flightId, ['21F', '21E'], a), confirm(flightId, ['21F'], b)]);
    const answers = await Promise.all([answerTo(a), answerTo(b)]);
    expect(answers.map((x) => x.type).sort()).toEqual(['SeatsConfirmed', 'SeatsRejected']);
    const rows = await rowsOf(flightId);
    const winner = answers.find((x) => x.type === 'SeatsConfirmed')!.bookingId;
    expect(rows.every((r) => r.booking_id === winner)).toBe(true);
    expect(rows.filter((r) => r.seat_number === '21F')).toHaveLength(1);
  });

  test.each([
    ['a seat blocked in the layout', 'A321', ['33C'], 'seat blocked: 33C'],
    ['a seat the aircraft does not have', 'A320', ['99Z', '12A'], 'unknown seat: 99Z'],
  ])('%s is rejected', async (_label, aircraft, seats, reason) => {
    const flightId = await scheduleTestFlight(h, { number: nextNumber(), aircraft });
    const bookingId = await confirm(flightId, seats);
    expect(await answerTo(bookingId)).toMatchObject({ type: 'SeatsRejected', reason });
    expect((await rowsOf(flightId)).filter((r) => r.status === 'BOOKED')).toEqual([]);
  });

  test('a cancelled or unknown flight is rejected', async () => {
    const flightId = await scheduleTestFlight(h, { number: nextNumber() });
    await h.graphql.data(
      'mutation($id: ID!) { cancelFlight(id: $id, reason: "Strike") { status } }',
      { id: flightId },
      { token: h.agentToken },
    );
    expect(await answerTo(await confirm(flightId, ['3A']))).toMatchObject({
      type: 'SeatsRejected',
      reason: 'flight cancelled',
    });
    expect(await answerTo(await confirm(randomUUID(), ['3A']))).toMatchObject({
      type: 'SeatsRejected',
      reason: 'flight not found',
    });
  });
});

describe('releasing seats', () => {
  test("ReleaseSeats frees that booking's seats only", async () => {
    const flightId = await scheduleTestFlight(h, { number: nextNumber() });
    const mine = await confirm(flightId, ['5A', '5B']);
    const theirs = await confirm(flightId, ['6A']);
    await Promise.all([answerTo(mine), answerTo(theirs)]);
    // Someone else's seat in the list is not touched.
    await sendCommand(h.amqp, 'ReleaseSeats', {
      bookingId: mine,
      flightId,
      seats: ['5A', '5B', '6A'],
      reason: 'payment failed',
    });
    await waitUntil(async () => (await rowsOf(flightId)).length === 1);
    expect(await rowsOf(flightId)).toEqual([
      { seat_number: '6A', booking_id: theirs, status: 'BOOKED' },
    ]);
    expect(await statuses(flightId, ['5A', '6A'])).toEqual({ '5A': 'AVAILABLE', '6A': 'BOOKED' });
  });

  test('BookingCancelled frees the seats and a late ConfirmSeats for that booking is rejected', async () => {
    const flightId = await scheduleTestFlight(h, { number: nextNumber() });
    const bookingId = await confirm(flightId, ['9D']);
    await answerTo(bookingId);
    await publishBookingEvent(h.amqp, 'BookingCancelled', {
      bookingId,
      reference: 'ABC123',
      customerId: randomUUID(),
      flightId,
      seats: ['9D'],
      cause: 'CUSTOMER',
      reason: null,
      paymentId: null,
      refund: null,
    });
    await waitUntil(async () => (await rowsOf(flightId)).length === 0);
    await sendCommand(h.amqp, 'ConfirmSeats', { bookingId, flightId, seats: ['9D'] });
    await h.events.waitFor(
      'SeatsRejected',
      (p) => p.bookingId === bookingId && p.reason === 'booking ended',
    );
    expect(await rowsOf(flightId)).toEqual([]);
  });
});

describe('the database itself', () => {
  test('refuses a second booking of a seat, a BOOKED seat without booking, and a seat changing hands', async () => {
    const flightId = await scheduleTestFlight(h, { number: nextNumber() });
    const insert = (booking: string | null, status = 'BOOKED') =>
      h.sql.query(
        `INSERT INTO flight_seat (flight_id, aircraft_code, seat_number, status, booking_id)
         VALUES ($1, 'A320', '20C', $2, $3)`,
        [flightId, status, booking],
      );
    await insert('booking-1');
    await expect(insert('booking-2')).rejects.toMatchObject({ code: '23505' });
    await expect(
      h.sql.query(
        `INSERT INTO flight_seat (flight_id, aircraft_code, seat_number, status, booking_id)
         VALUES ($1, 'A320', '20D', 'BOOKED', NULL)`,
        [flightId],
      ),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(
      h.sql.query(
        `UPDATE flight_seat SET booking_id = 'booking-2' WHERE flight_id = $1 AND seat_number = '20C'`,
        [flightId],
      ),
    ).rejects.toMatchObject({ code: '23505' });
    await expect(
      h.sql.query(
        `INSERT INTO flight_seat (flight_id, aircraft_code, seat_number, status, booking_id)
         VALUES ($1, 'A320', '99Z', 'BOOKED', 'booking-3')`,
        [flightId],
      ),
    ).rejects.toMatchObject({ code: '23503' });
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
