import { newEvent, type Message } from './events.ts';
import { NoInbox, PostgresInbox, RedisInbox } from './inbox.ts';
import { LivePublisher } from '../live/live-publisher.ts';
import { LiveSubscriber } from '../live/live-subscriber.ts';
import { LiveTopic, type LiveMessage } from '../live/topics.ts';
import { dispatch, PermanentError } from './consumer.ts';
import {
  createMessagingTestEnv,
  sleep,
  TestRecord,
  waitFor,
  type MessagingTestEnv,
} from './testkit.ts';
import { eventBindings } from './topology.ts';

function gateChanged(flightId: string, newGate: string) {
  return newEvent('GateChanged', flightId, { flightId, number: 'AB123', oldGate: 'A1', newGate });
}

async function inboxRows(env: MessagingTestEnv): Promise<number> {
  const [row] = await env.orm.em.fork().execute<{ n: string }[]>('select count(*) as n from inbox');
  return Number(row?.n);
}

describe('consumer', () => {
  let env: MessagingTestEnv;
  beforeEach(async () => {
    env = await createMessagingTestEnv();
  });
  afterEach(async () => {
    await env.dispose();
  });

  it('a message delivered twice is applied once (PostgreSQL inbox)', async () => {
    let calls = 0;
    await env.consumer({
      queue: 'notifications.flight-events',
      bindings: eventBindings('GateChanged'),
      inbox: new PostgresInbox(env.orm),
      handler: async (message, { em }) => {
        calls += 1;
        em.create(TestRecord, { kind: 'gate', ref: message.id });
      },
    });
    const event = gateChanged('flight-1', 'B7');
    const body = JSON.stringify(event);
    await env.publishRaw('flight.events', 'GateChanged', body, { messageId: event.id });
    await env.publishRaw('flight.events', 'GateChanged', body, { messageId: event.id });
    await waitFor('both deliveries to be handled', () =>
      env.logs.some((l) => l.msg === 'duplicate message skipped' && l.messageId === event.id),
    );

    expect(calls).toBe(1);
    expect(await env.orm.em.fork().count(TestRecord, { kind: 'gate', ref: event.id })).toBe(1);
    expect(await inboxRows(env)).toBe(1);
  });

  it('without an inbox a redelivery runs the handler again, so only an idempotent one (a versioned live publish) may go without', async () => {
    const publisher = new LivePublisher(env.redis, env.config.redisPrefix);
    const subscriber = new LiveSubscriber(
      env.config.redisUrl,
      env.config.redisPrefix,
      env.logger,
      'test',
    );
    const shown: LiveMessage[] = [];
    const stopListening = await subscriber.listen(LiveTopic.FlightStatus, 'flight-1', (m) =>
      shown.push(m),
    );
    let calls = 0;
    await env.consumer({
      queue: 'flights.live',
      bindings: eventBindings('GateChanged'),
      inbox: new NoInbox(env.orm),
      handler: async (message) => {
        calls += 1;
        await publisher.publishVersioned(LiveTopic.FlightStatus, 'flight-1', 7, {
          messageId: message.id,
        });
      },
    });
    try {
      const event = gateChanged('flight-1', 'C3');
      const body = JSON.stringify(event);
      await env.publishRaw('flight.events', 'GateChanged', body, { messageId: event.id });
      await env.publishRaw('flight.events', 'GateChanged', body, { messageId: event.id });
      await waitFor('both deliveries to be handled', () => calls === 2);
      await sleep(100);

      expect(await inboxRows(env)).toBe(0);
      expect(shown.map((m) => [m.version, m.payload])).toEqual([[7, { messageId: event.id }]]);
    } finally {
      stopListening();
      subscriber.close();
    }
  });

  it('a failed attempt rolls back its inbox row with its changes, so the retry applies the message', async () => {
    let calls = 0;
    await env.consumer({
      queue: 'notifications.flight-events',
      bindings: eventBindings('GateChanged'),
      inbox: new PostgresInbox(env.orm),
      retry: { retries: 3, baseDelayMs: 20 },
      handler: async (message, { em, delivery }) => {
        calls += 1;
        em.create(TestRecord, { kind: 'gate', ref: `${message.id}#${delivery.attempt}` });
        await em.flush();
        if (delivery.attempt === 1) throw new Error('database hiccup');
      },
    });
    const event = gateChanged('flight-2', 'C3');
    await env.publishRaw('flight.events', 'GateChanged', JSON.stringify(event));
    await waitFor('the retry to succeed', async () => (await inboxRows(env)) === 1);
    await sleep(150);

    expect(calls).toBe(2);
    const records = await env.orm.em.fork().find(TestRecord, { kind: 'gate' });
    expect(records.map((r) => r.ref)).toEqual([`${event.id}#2`]);
  });

  it('a message delivered twice is applied once (Redis inbox, for services without a database)', async () => {
    const handled: string[] = [];
    await env.consumer({
      queue: 'notifications.flight-events',
      bindings: eventBindings('GateChanged'),
      inbox: new RedisInbox(env.redis, { ttlSeconds: 60 }),
      handler: async (message) => void handled.push(message.id),
    });
    const event = gateChanged('flight-3', 'D4');
    await env.publishRaw('flight.events', 'GateChanged', JSON.stringify(event));
    await env.publishRaw('flight.events', 'GateChanged', JSON.stringify(event));
    await waitFor('the duplicate to be skipped', () =>
      env.logs.some((l) => l.msg === 'duplicate message skipped'),
    );

    expect(handled).toEqual([event.id]);
    expect(await env.redis.get(`inbox:notifications.flight-events:${event.id}`)).toBe('done');
  });

  it('a message that keeps failing climbs a capped backoff ladder, then is dead-lettered with the reason once its retry window closes', async () => {
    const attempts: number[] = [];
    const consumer = await env.consumer({
      queue: 'notifications.flight-events',
      bindings: eventBindings('GateChanged'),
      inbox: new PostgresInbox(env.orm),
      retry: { retries: 3, baseDelayMs: 40, factor: 2, maxDelayMs: 100, retryForMs: 600 },
      handler: async (_message, { delivery }) => {
        attempts.push(delivery.attempt);
        throw new Error('template renderer exploded');
      },
    });
    const event = gateChanged('flight-4', 'E5');
    await env.publishRaw('flight.events', 'GateChanged', JSON.stringify(event), {
      messageId: event.id,
      type: event.type,
    });

    const [dead] = await waitFor('the message in the dead-letter queue', async () => {
      const messages = await env.drainQueue(consumer.queues.deadLetters);
      return messages.length ? messages : undefined;
    });
    await sleep(300);

    // Retried past the ladder's three levels: the window, not a count, ends it.
    expect(attempts.length).toBeGreaterThan(4);
    expect(attempts).toEqual(attempts.map((_, i) => i + 1));
    const retries = env.logs.filter((l) => l.msg === 'message handler failed; retrying later');
    expect(retries.map((l) => l.delayMs)).toEqual(
      retries.map((_, i) => [40, 80, 100][Math.min(i, 2)]),
    );
    // Nobody recognised this failure: it is retried, but loudly.
    expect(retries.every((l) => l.level === 50 && l.failure === 'unexpected')).toBe(true);

    expect(JSON.parse(dead!.content)).toEqual(event);
    expect(dead!.headers).toMatchObject({
      'x-attempt': attempts.length - 1,
      'x-dead-letter-reason': 'retries-exhausted',
      'x-failure-kind': 'unexpected',
      'x-error': 'template renderer exploded',
      'x-consumer': 'notifications.flight-events',
      'x-queue': consumer.queues.work,
      'x-original-exchange': `${env.config.amqpPrefix}flight.events`,
      'x-original-routing-key': 'GateChanged',
    });
    expect(dead!.headers['x-death']).toBeUndefined();
    expect(await inboxRows(env)).toBe(0);
    expect(env.logs.filter((l) => l.msg === 'message dead-lettered')).toHaveLength(1);
  });

  it('a dependency outage is retried until the dependency is back, without holding up the messages behind it', async () => {
    let down = true;
    const applied: string[] = [];
    const consumer = await env.consumer({
      queue: 'notifications.flight-events',
      bindings: eventBindings('GateChanged'),
      inbox: new PostgresInbox(env.orm),
      // A tiny ladder and a long window: it must outlast the "outage" however long it takes.
      retry: { retries: 2, baseDelayMs: 30, maxDelayMs: 60, retryForMs: 60_000 },
      concurrency: 1,
      handler: async (message, { em }) => {
        const gate = (message.payload as { newGate: string }).newGate;
        if (gate === 'OUT' && down)
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), {
            code: 'ECONNREFUSED',
          });
        applied.push(gate);
        em.create(TestRecord, { kind: 'gate', ref: message.id });
      },
    });
    const blocked = gateChanged('flight-7', 'OUT');
    await env.publishRaw('flight.events', 'GateChanged', JSON.stringify(blocked));
    await waitFor('a few failed attempts', () =>
      env.logs.some((l) => l.msg === 'message handler failed; retrying later' && l.attempt === 4),
    );
    // Published after the failing one, applied while it waits in a retry queue.
    await env.publishRaw(
      'flight.events',
      'GateChanged',
      JSON.stringify(gateChanged('flight-8', 'NEXT')),
    );
    await waitFor('the message behind it', () => applied.includes('NEXT'));
    expect(applied).toEqual(['NEXT']);

    down = false;
    await waitFor('the retried message once the dependency is back', () => applied.includes('OUT'));
    await sleep(150);
    expect(applied).toEqual(['NEXT', 'OUT']);
    expect(await inboxRows(env)).toBe(2);
    const retries = env.logs.filter((l) => l.msg === 'message handler failed; retrying later');
    // Expected while a dependency is away: warnings, never a dead letter.
    expect(retries.every((l) => l.level === 40 && l.failure === 'transient')).toBe(true);
    expect(await env.drainQueue(consumer.queues.deadLetters)).toEqual([]);
  });

  it('malformed JSON goes straight to the DLQ without reaching the handler', async () => {
    let calls = 0;
    const consumer = await env.consumer({
      queue: 'notifications.flight-events',
      bindings: eventBindings('GateChanged'),
      inbox: new PostgresInbox(env.orm),
      retry: { retries: 3, baseDelayMs: 20 },
      handler: async () => void (calls += 1),
    });
    await env.publishRaw('flight.events', 'GateChanged', '{"id": "not json');
    await env.publishRaw('flight.events', 'GateChanged', JSON.stringify({ hello: 'world' }));

    const dead: { content: string; headers: Record<string, unknown> }[] = [];
    await waitFor('both in the DLQ', async () => {
      dead.push(...(await env.drainQueue(consumer.queues.deadLetters)));
      return dead.length >= 2;
    });
    expect(calls).toBe(0);
    expect(dead.map((d) => d.headers['x-dead-letter-reason'])).toEqual(['malformed', 'malformed']);
    expect(dead[0]!.headers['x-error']).toMatch(/not JSON/);
    expect(dead[1]!.headers['x-error']).toMatch(/id: .*; type: /);
    expect(env.logs.filter((l) => l.msg === 'message handler failed; retrying later')).toHaveLength(
      0,
    );
  });

  it('dispatch routes by type and dead-letters a type it has no handler for without retrying', async () => {
    const gates: string[] = [];
    const consumer = await env.consumer({
      queue: 'notifications.flight-events',
      bindings: eventBindings('GateChanged', 'FlightCancelled'),
      inbox: new PostgresInbox(env.orm),
      retry: { retries: 3, baseDelayMs: 20 },
      handler: dispatch({
        GateChanged: async (event) => void gates.push(event.payload.newGate),
      }),
    });
    const cancelled = newEvent('FlightCancelled', 'flight-5', {
      flightId: 'flight-5',
      number: 'AB555',
      departureTime: new Date().toISOString(),
      reason: 'storm',
    });
    await env.publishRaw(
      'flight.events',
      'GateChanged',
      JSON.stringify(gateChanged('flight-5', 'F6')),
    );
    await env.publishRaw('flight.events', 'FlightCancelled', JSON.stringify(cancelled));

    const [dead] = await waitFor('the unhandled type in the DLQ', async () => {
      const got = await env.drainQueue(consumer.queues.deadLetters);
      return got.length ? got : undefined;
    });
    expect(gates).toEqual(['F6']);
    expect(dead!.headers).toMatchObject({ 'x-dead-letter-reason': 'permanent', 'x-attempt': 0 });
    expect(String(dead!.headers['x-error'])).toMatch(/no handler for message type FlightCancelled/);
  });

  it('with an ordering key, messages of one key run one after another in order while other keys run alongside', async () => {
    const running = new Map<string, number>();
    const order = new Map<string, string[]>();
    let overlapSameKey = false;
    let mostAtOnce = 0;
    let atOnce = 0;
    await env.consumer({
      queue: 'notifications.flight-events',
      bindings: eventBindings('GateChanged'),
      inbox: new RedisInbox(env.redis, { ttlSeconds: 60 }),
      concurrency: 4,
      orderingKey: (message) => message.aggregateId,
      handler: async (message) => {
        const key = message.aggregateId;
        if (running.get(key)) overlapSameKey = true;
        running.set(key, (running.get(key) ?? 0) + 1);
        mostAtOnce = Math.max(mostAtOnce, ++atOnce);
        await sleep(15);
        (order.get(key) ?? order.set(key, []).get(key)!).push(
          (message as Extract<Message, { type: 'GateChanged' }>).payload.newGate,
        );
        atOnce -= 1;
        running.set(key, running.get(key)! - 1);
      },
    });
    const gates = Array.from({ length: 6 }, (_, i) => `G${i}`);
    for (const gate of gates)
      for (const flight of ['flight-a', 'flight-b', 'flight-c'])
        await env.publishRaw(
          'flight.events',
          'GateChanged',
          JSON.stringify(gateChanged(flight, gate)),
        );
    await waitFor('every message to be handled', () =>
      [...order.values()].reduce((n, list) => n + list.length, 0) === 18 ? true : undefined,
    );

    expect(overlapSameKey).toBe(false);
    for (const flight of ['flight-a', 'flight-b', 'flight-c'])
      expect(order.get(flight)).toEqual(gates);
    expect(mostAtOnce).toBeGreaterThan(1);
  });

  it('a handler can refuse a message as permanently invalid', async () => {
    const consumer = await env.consumer({
      queue: 'notifications.flight-events',
      bindings: eventBindings('GateChanged'),
      inbox: new PostgresInbox(env.orm),
      retry: { retries: 3, baseDelayMs: 20 },
      handler: async (message: Message) => {
        throw new PermanentError(`gate of ${message.aggregateId} is not a real gate`);
      },
    });
    await env.publishRaw(
      'flight.events',
      'GateChanged',
      JSON.stringify(gateChanged('flight-6', '??')),
    );
    const [dead] = await waitFor('the message in the dead-letter queue', async () => {
      const got = await env.drainQueue(consumer.queues.deadLetters);
      return got.length ? got : undefined;
    });
    expect(dead!.headers).toMatchObject({
      'x-dead-letter-reason': 'permanent',
      'x-error': 'gate of flight-6 is not a real gate',
      'x-consumer': 'notifications.flight-events',
      'x-queue': consumer.queues.work,
    });
    expect(env.logs.filter((l) => l.msg === 'message handler failed; retrying later')).toHaveLength(
      0,
    );
  });
});
