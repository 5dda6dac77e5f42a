import type { EntityManager } from '@mikro-orm/postgresql';
import { newEvent, type Message } from './events.ts';
import { PostgresInbox } from './inbox.ts';
import { enqueue, OutboxMessage } from './outbox.ts';
import { drainOutbox } from '../testing/resources.ts';
import {
  createMessagingTestEnv,
  sleep,
  TestRecord,
  waitFor,
  type MessagingTestEnv,
} from './testkit.ts';
import { eventBindings } from './topology.ts';

function bookingCreated(bookingId: string, seat = '12A') {
  return newEvent('BookingCreated', bookingId, {
    bookingId,
    reference: 'ABC123',
    customerId: 'customer-1',
    flightId: 'flight-1',
    seats: [seat],
    passengers: [{ givenName: 'Ada', familyName: 'Lovelace', seat }],
    total: { amountMinor: 12900, currency: 'EUR' },
    holdExpiresAt: new Date(Date.now() + 600_000).toISOString(),
  });
}

async function pending(em: EntityManager): Promise<number> {
  return em.fork().count(OutboxMessage, { publishedAt: null });
}

describe('transactional outbox', () => {
  let env: MessagingTestEnv;
  beforeEach(async () => {
    env = await createMessagingTestEnv();
  });
  afterEach(async () => {
    await env.dispose();
  });

  it('a crash between commit and publish loses nothing: the next relay delivers the message exactly once', async () => {
    const received: Message[] = [];
    await env.consumer({
      queue: 'flights.booking-events',
      bindings: eventBindings('BookingCreated'),
      inbox: new PostgresInbox(env.orm),
      handler: async (message) => void received.push(message),
    });

    // The use case commits its state change and its event; no relay is running ("crashed").
    const event = bookingCreated('booking-1');
    await env.orm.em.fork().transactional(async (em) => {
      em.create(TestRecord, { kind: 'booking', ref: 'booking-1' });
      enqueue(em, event);
    });
    expect(await pending(env.orm.em)).toBe(1);
    await sleep(100);
    expect(received).toHaveLength(0);

    const relay = env.relay();
    await relay.start();
    await drainOutbox(env.databaseUrl);
    await waitFor('the event to arrive', () => received.length >= 1);
    await sleep(200); // anything extra would arrive now

    expect(received).toEqual([event]);
    const row = await env.orm.em.fork().findOneOrFail(OutboxMessage, { messageId: event.id });
    expect(row.publishedAt).toBeInstanceOf(Date);
    expect(row.attempts).toBe(1);
    expect(row).toMatchObject({
      exchange: 'booking.events',
      routingKey: 'BookingCreated',
      lastError: null,
    });
  });

  it('a rolled-back transaction leaves no outbox row and publishes nothing', async () => {
    const received: Message[] = [];
    await env.consumer({
      queue: 'flights.booking-events',
      bindings: eventBindings('BookingCreated'),
      inbox: new PostgresInbox(env.orm),
      handler: async (message) => void received.push(message),
    });
    const relay = env.relay();
    await relay.start();

    await expect(
      env.orm.em.fork().transactional(async (em) => {
        em.create(TestRecord, { kind: 'booking', ref: 'booking-2' });
        enqueue(em, bookingCreated('booking-2'));
        await em.flush();
        throw new Error('seat lock lost');
      }),
    ).rejects.toThrow('seat lock lost');

    await sleep(200);
    expect(await env.orm.em.fork().count(OutboxMessage, {})).toBe(0);
    expect(await env.orm.em.fork().count(TestRecord, {})).toBe(0);
    expect(received).toHaveLength(0);
  });

  it("enqueue never flushes: the row is written by the caller's own flush", async () => {
    const em = env.orm.em.fork();
    enqueue(em, bookingCreated('booking-3'));
    expect(await env.orm.em.fork().count(OutboxMessage, {})).toBe(0);
    await em.flush();
    expect(await env.orm.em.fork().count(OutboxMessage, {})).toBe(1);
  });

  it('a relay stopped mid-way and a new one started deliver every message, each applied once', async () => {
    const applied: string[] = [];
    await env.consumer({
      queue: 'flights.booking-events',
      bindings: eventBindings('BookingCreated'),
      inbox: new PostgresInbox(env.orm),
      handler: async (message, { em }) => {
        em.create(TestRecord, { kind: 'applied', ref: message.id });
        applied.push(message.id);
      },
    });
    const events = Array.from({ length: 40 }, (_, i) =>
      bookingCreated(`booking-${i}`, `${i + 1}A`),
    );
    await env.orm.em.fork().transactional(async (em) => {
      for (const event of events) enqueue(em, event);
    });

    const first = env.relay({ batchSize: 5 });
    await first.start();
    await waitFor('the first relay to publish some', () => first.publishedCount >= 5);
    await first.stop();
    expect(first.publishedCount).toBeLessThan(events.length);

    const second = env.relay({ batchSize: 5 });
    await second.start();
    await drainOutbox(env.databaseUrl);
    await waitFor('every event to be applied', () => applied.length >= events.length);
    await sleep(200);

    expect(applied.sort()).toEqual(events.map((e) => e.id).sort());
    expect(await env.orm.em.fork().count(TestRecord, { kind: 'applied' })).toBe(events.length);
    expect(first.publishedCount + second.publishedCount).toBe(events.length);
  });
});
