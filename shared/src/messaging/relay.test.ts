import type { Socket } from 'node:net';
import { newCommand, newEvent, type Message } from './events.ts';
import { PostgresInbox } from './inbox.ts';
import { enqueue, OutboxMessage } from './outbox.ts';
import { OUTBOX_RELAY_LOCK } from './relay.ts';
import { drainOutbox } from '../testing/resources.ts';
import { createMessagingTestEnv, sleep, waitFor, type MessagingTestEnv } from './testkit.ts';
import { commandBindings, commandQueue, eventBindings } from './topology.ts';

function delayed(flightId: string, minutes: number) {
  const base = Date.parse('2026-12-01T10:00:00Z');
  return newEvent('FlightDelayed', flightId, {
    flightId,
    number: 'AB100',
    oldDepartureTime: new Date(base).toISOString(),
    newDepartureTime: new Date(base + minutes * 60_000).toISOString(),
    oldArrivalTime: new Date(base + 7_200_000).toISOString(),
    newArrivalTime: new Date(base + 7_200_000 + minutes * 60_000).toISOString(),
    reason: `delay #${minutes}`,
  });
}

describe('outbox relay', () => {
  let env: MessagingTestEnv;
  beforeEach(async () => {
    env = await createMessagingTestEnv();
  });
  afterEach(async () => {
    await env.dispose();
  });

  async function collect(queue = 'notifications.flight-events'): Promise<Message[]> {
    const received: Message[] = [];
    await env.consumer({
      queue,
      bindings: eventBindings('FlightDelayed'),
      inbox: new PostgresInbox(env.orm),
      handler: async (message) => void received.push(message),
    });
    return received;
  }

  it('preserves order for one aggregate: 50 events arrive in the order they were committed', async () => {
    const received = await collect();
    const relay = env.relay({ batchSize: 7 });
    await relay.start();

    const events = Array.from({ length: 50 }, (_, i) => delayed('flight-1', i + 1));
    // Some in their own transactions while the relay runs, some several to a transaction.
    for (const event of events.slice(0, 20)) {
      await env.orm.em.fork().transactional(async (em) => enqueue(em, event));
    }
    await env.orm.em.fork().transactional(async (em) => {
      for (const event of events.slice(20)) enqueue(em, event);
    });
    await drainOutbox(env.databaseUrl);
    await waitFor('all 50 events', () => received.length >= 50);
    await sleep(100);

    expect(received.map((m) => m.id)).toEqual(events.map((e) => e.id));
  });

  it('wakes on NOTIFY at commit instead of waiting for its poll', async () => {
    const received = await collect();
    const relay = env.relay({ pollIntervalMs: 60_000 });
    await relay.start();
    await waitFor('the relay to be active', () => relay.active);
    await sleep(50); // idle now: only a NOTIFY can wake it within the test's time

    const event = delayed('flight-2', 5);
    await env.orm.em.fork().transactional(async (em) => enqueue(em, event));
    // The poll comes every 60 s: an event within this deadline can only have come from NOTIFY.
    await waitFor('the event', () => received.length === 1, 2_000);
  });

  it('two relays on one database: only one publishes, the other takes over when it stops', async () => {
    const received = await collect();
    const a = env.relay();
    const b = env.relay();
    await a.start();
    await b.start();
    const leader = await waitFor('one relay to be active', () =>
      a.active ? a : b.active ? b : undefined,
    );
    const standby = leader === a ? b : a;
    await sleep(100);
    expect(standby.active).toBe(false);

    const first = Array.from({ length: 10 }, (_, i) => delayed('flight-3', i + 1));
    for (const event of first)
      await env.orm.em.fork().transactional(async (em) => enqueue(em, event));
    await drainOutbox(env.databaseUrl);
    expect(leader.publishedCount).toBe(10);
    expect(standby.publishedCount).toBe(0);

    await leader.stop();
    await waitFor('the standby to take over', () => standby.active);
    const second = Array.from({ length: 10 }, (_, i) => delayed('flight-3', i + 11));
    for (const event of second)
      await env.orm.em.fork().transactional(async (em) => enqueue(em, event));
    await drainOutbox(env.databaseUrl);
    await waitFor('all 20 events', () => received.length >= 20);
    await sleep(100);

    expect(standby.publishedCount).toBe(10);
    expect(leader.publishedCount).toBe(10);
    expect(received.map((m) => m.id)).toEqual([...first, ...second].map((e) => e.id));
  });

  it('fails over when the active relay dies without stopping: its session ends and nothing committed is lost', async () => {
    const received = await collect();
    const a = env.relay();
    const b = env.relay();
    await a.start();
    await b.start();
    const leader = await waitFor('one relay to be active', () =>
      a.active ? a : b.active ? b : undefined,
    );
    const standby = leader === a ? b : a;

    // What a SIGKILL or a cut network does to the holder: the server ends its session, which
    // releases the advisory lock; the holder itself gets no chance to step down first.
    const admin = env.orm.em.fork().getConnection();
    const [holder] = await admin.execute<{ pid: number }[]>(
      `select pid from pg_locks
        where locktype = 'advisory' and objid = ? and granted
          and database = (select oid from pg_database where datname = current_database())`,
      [OUTBOX_RELAY_LOCK],
    );
    const events = Array.from({ length: 10 }, (_, i) => delayed('flight-5', i + 1));
    await env.orm.em.fork().transactional(async (em) => {
      for (const event of events.slice(0, 5)) enqueue(em, event);
    });
    await admin.execute('select pg_terminate_backend(?)', [holder!.pid]);
    await waitFor('the holder to lose its session', () =>
      env.logs.some((l) => l.msg === 'outbox relay lost its database connection; reconnecting'),
    );
    for (const event of events.slice(5))
      await env.orm.em.fork().transactional(async (em) => enqueue(em, event));

    await waitFor('a relay to be active again', () => a.active || b.active);
    await drainOutbox(env.databaseUrl);
    await waitFor('all 10 events', () => new Set(received.map((m) => m.id)).size === 10);
    // At least once: a row published just before the kill may come twice; none is missing.
    expect([...new Set(received.map((m) => m.id))].sort()).toEqual(events.map((e) => e.id).sort());
    expect(standby.publishedCount + leader.publishedCount).toBeGreaterThanOrEqual(10);
  });

  it('survives a lost broker connection: the relay resumes and the consumer re-subscribes', async () => {
    const received = await collect();
    const relay = env.relay();
    await relay.start();
    const before = delayed('flight-4', 1);
    await env.orm.em.fork().transactional(async (em) => enqueue(em, before));
    await waitFor('the first event', () => received.length === 1);

    // Cut the TCP connection under amqplib, as a broker restart or a network drop would.
    const model = env.amqp.model!;
    (model.connection as unknown as { stream: Socket }).stream.destroy(
      new Error('simulated network failure'),
    );
    await waitFor('the connection to drop', () => !env.amqp.connected || env.amqp.model !== model);

    const during = Array.from({ length: 5 }, (_, i) => delayed('flight-4', i + 2));
    for (const event of during)
      await env.orm.em.fork().transactional(async (em) => enqueue(em, event));
    await waitFor('the events committed during the outage', () => received.length === 6, 15_000);
    await drainOutbox(env.databaseUrl);

    expect(received.map((m) => m.id)).toEqual([before, ...during].map((e) => e.id));
    expect(env.logs.some((l) => l.msg === 'RabbitMQ connection lost; reconnecting')).toBe(true);
  });

  it('holds a command nobody can receive yet and delivers it once its queue exists', async () => {
    const relay = env.relay();
    await relay.start();
    const command = newCommand('ConfirmSeats', 'booking-9', {
      bookingId: 'booking-9',
      flightId: 'flight-9',
      seats: ['3C'],
    });
    const event = delayed('flight-9', 10);
    await env.orm.em.fork().transactional(async (em) => {
      enqueue(em, command);
      enqueue(em, event);
    });

    const row = await waitFor('the relay to record the failure', async () => {
      const r = await env.orm.em.fork().findOne(OutboxMessage, { messageId: command.id });
      return r?.lastError ? r : undefined;
    });
    expect(row.lastError).toMatch(/ConfirmSeats is unroutable/);
    expect(row.publishedAt).toBeNull();
    // The event behind it waits too: order is kept.
    expect(
      (await env.orm.em.fork().findOneOrFail(OutboxMessage, { messageId: event.id })).publishedAt,
    ).toBeNull();

    const commands: Message[] = [];
    await env.consumer({
      queue: commandQueue('flights'),
      bindings: commandBindings('flights'),
      inbox: new PostgresInbox(env.orm),
      handler: async (message) => void commands.push(message),
    });
    await drainOutbox(env.databaseUrl);
    await waitFor('the command', () => commands.length === 1);
    expect(commands[0]).toEqual(command);
  });
});
