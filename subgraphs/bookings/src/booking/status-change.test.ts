import { readdir, readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import type { EventEnvelope, EventPayloads } from '@airline/shared';
import { waitFor } from '@airline/shared/testing';
import {
  createInput,
  ops,
  payInput,
  SEAT_PRICE,
  startBookingsHarness,
  type BookingsHarness,
} from '../testing/bookings-harness.ts';

let h: BookingsHarness;
beforeAll(async () => {
  h = await startBookingsHarness('statuschanges');
}, 30_000);
afterAll(() => h?.stop());

type Change = Pick<EventPayloads['BookingStatusChanged'], 'status' | 'previousStatus' | 'version'>;

/** The BookingStatusChanged events of a booking once there are `count` of them, in version order. */
async function changesOf(bookingId: string, count: number): Promise<Change[]> {
  const found = await waitFor(`${count} status changes of ${bookingId}`, () => {
    const events = h.messages.filter(
      (m): m is EventEnvelope<'BookingStatusChanged'> =>
        m.type === 'BookingStatusChanged' && m.aggregateId === bookingId,
    );
    return events.length >= count ? events : undefined;
  });
  for (const e of found) {
    expect(e.payload).toMatchObject({ bookingId, flightId: expect.any(String) });
    expect(Date.parse(e.payload.occurredAt)).not.toBeNaN();
  }
  return found
    .map(({ payload: { status, previousStatus, version } }) => ({
      status,
      previousStatus,
      version,
    }))
    .sort((a, b) => a.version - b.version);
}

const change = (version: number, previousStatus: string | null, status: string) => ({
  version,
  previousStatus,
  status,
});

async function held(flightId: string = randomUUID(), seats = ['4A']) {
  const me = await h.user();
  const { createBooking } = await h.graphql.data<{ createBooking: { id: string } }>(
    ops.create,
    createInput(flightId, seats),
    { token: me.token },
  );
  return { me, id: createBooking.id, flightId };
}

async function paid(flightId?: string) {
  const booking = await held(flightId);
  await h.graphql.data(ops.pay, payInput(booking.id), { token: booking.me.token });
  const request = h.payments.requests.find((r) => r.bookingId === booking.id)!;
  await h.publish('PaymentCompleted', {
    paymentId: h.payments.paymentIdOf(request.idempotencyKey)!,
    bookingId: booking.id,
    customerId: booking.me.id,
    amount: request.amount,
    idempotencyKey: request.idempotencyKey,
    cardBrand: 'visa',
    cardLast4: '4242',
  });
  await waitFor(
    'seats being confirmed',
    async () => (await h.booking(booking.id)).saga_step === 'CONFIRMING_SEATS',
  );
  return { ...booking, request };
}

describe('BookingStatusChanged, one per status change, versioned per booking', () => {
  test('created, paid, confirmed, cancelled by the customer (who gets back what was paid)', async () => {
    const booking = await paid();
    await h.publish('SeatsConfirmed', {
      bookingId: booking.id,
      flightId: booking.flightId,
      seats: ['4A'],
    });
    await waitFor('CONFIRMED', async () => (await h.booking(booking.id)).status === 'CONFIRMED');
    await h.graphql.data(ops.cancel, { id: booking.id }, { token: booking.me.token });

    expect(await changesOf(booking.id, 4)).toEqual([
      change(1, null, 'HELD'),
      change(2, 'HELD', 'PAYMENT_PENDING'),
      change(3, 'PAYMENT_PENDING', 'CONFIRMED'),
      change(4, 'CONFIRMED', 'CANCELLED'),
    ]);
    expect((await h.booking(booking.id)).status_version).toBe(4);
    const cancelled = (await h.sent(
      (m) => m.type === 'BookingCancelled' && m.aggregateId === booking.id,
      'BookingCancelled',
    )) as EventEnvelope<'BookingCancelled'>;
    expect(cancelled.payload.refund).toEqual(SEAT_PRICE);
  });

  test('a failed payment: back to HELD, payable again', async () => {
    const booking = await held();
    await h.graphql.data(ops.pay, payInput(booking.id), { token: booking.me.token });
    const request = h.payments.requests.find((r) => r.bookingId === booking.id)!;
    await h.publish('PaymentFailed', {
      paymentId: h.payments.paymentIdOf(request.idempotencyKey)!,
      bookingId: booking.id,
      customerId: booking.me.id,
      amount: request.amount,
      idempotencyKey: request.idempotencyKey,
      code: 'card_declined',
      reason: 'declined',
    });
    expect(await changesOf(booking.id, 3)).toEqual([
      change(1, null, 'HELD'),
      change(2, 'HELD', 'PAYMENT_PENDING'),
      change(3, 'PAYMENT_PENDING', 'HELD'),
    ]);
  });

  test('a hold that expires', async () => {
    const booking = await held();
    await h.sql(`UPDATE booking SET hold_expires_at = now() - interval '1 second' WHERE id = $1`, [
      booking.id,
    ]);
    expect(await changesOf(booking.id, 2)).toEqual([
      change(1, null, 'HELD'),
      change(2, 'HELD', 'EXPIRED'),
    ]);
  });

  test('seats that flights could not confirm', async () => {
    const booking = await paid();
    await h.publish('SeatsRejected', {
      bookingId: booking.id,
      flightId: booking.flightId,
      seats: ['4A'],
      reason: 'taken',
    });
    expect(await changesOf(booking.id, 3)).toEqual([
      change(1, null, 'HELD'),
      change(2, 'HELD', 'PAYMENT_PENDING'),
      change(3, 'PAYMENT_PENDING', 'CANCELLED'),
    ]);
  });

  test('a cancelled flight, for each live booking on it', async () => {
    const flightId = randomUUID();
    const holding = await held(flightId, ['5A']);
    const paying = await paid(flightId);
    await h.publish('FlightCancelled', {
      flightId,
      number: 'AS1234',
      departureTime: new Date(Date.now() + 86_400_000).toISOString(),
      reason: 'storm',
    });
    expect(await changesOf(holding.id, 2)).toEqual([
      change(1, null, 'HELD'),
      change(2, 'HELD', 'CANCELLED'),
    ]);
    expect(await changesOf(paying.id, 3)).toEqual([
      change(1, null, 'HELD'),
      change(2, 'HELD', 'PAYMENT_PENDING'),
      change(3, 'PAYMENT_PENDING', 'CANCELLED'),
    ]);
  });
});

test('no booking use case or saga step sets a status but through changeStatus, so none can skip BookingStatusChanged', async () => {
  const offenders: string[] = [];
  let scanned = 0;
  for (const dir of ['../booking/', '../saga/']) {
    const root = new URL(dir, import.meta.url);
    for (const file of await readdir(root)) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file === 'status-change.ts')
        continue;
      scanned++;
      const source = await readFile(new URL(file, root), 'utf8');
      if (/\.status\s*=[^=]/.test(source)) offenders.push(`${dir}${file}`);
    }
  }
  expect(scanned).toBeGreaterThan(8);
  expect(offenders).toEqual([]);
});

test('booking/ (the lifecycle) never depends on saga/ or messaging/: the saga depends on it, not the reverse', async () => {
  const root = new URL('../booking/', import.meta.url);
  const offenders: string[] = [];
  for (const file of await readdir(root)) {
    if (!file.endsWith('.ts')) continue;
    const source = await readFile(new URL(file, root), 'utf8');
    if (/from '\.\.\/(saga|messaging)\//.test(source)) offenders.push(file);
  }
  expect(offenders).toEqual([]);
});
