import { metricsText, watchDeadLetters } from './dead-letter-metrics.ts';
import { DeadLetterQueue } from './dead-letters.ts';
import { newEvent } from './events.ts';
import { PostgresInbox } from './inbox.ts';
import { PermanentError } from './failures.ts';
import { createMessagingTestEnv, sleep, waitFor, type MessagingTestEnv } from './testkit.ts';
import { eventBindings } from './topology.ts';

const gateChanged = (flightId: string, newGate: string) =>
  newEvent('GateChanged', flightId, { flightId, number: 'AB123', oldGate: 'A1', newGate });

describe('dead-letter queue', () => {
  let env: MessagingTestEnv;
  beforeEach(async () => {
    env = await createMessagingTestEnv();
  });
  afterEach(async () => {
    await env.dispose();
  });

  it('lists dead letters with their reason without removing them, and replays one to its consumer exactly once', async () => {
    // The rule "fails" until a fix is deployed; the replay then applies the message.
    let fixed = false;
    const applied: string[] = [];
    await env.consumer({
      queue: 'notifications.flight-events',
      bindings: eventBindings('GateChanged'),
      inbox: new PostgresInbox(env.orm),
      handler: async (message) => {
        if (!fixed) throw new PermanentError(`gate of ${message.aggregateId} is not a real gate`);
        applied.push(message.id);
      },
    });
    const dlq = new DeadLetterQueue(env.amqp);
    const events = [gateChanged('flight-1', 'Z9'), gateChanged('flight-2', 'Z8')];
    for (const event of events)
      await env.publishRaw('flight.events', 'GateChanged', JSON.stringify(event), {
        messageId: event.id,
        type: event.type,
      });
    await waitFor('both dead-lettered', async () => (await dlq.count()) === 2);

    const listed = await dlq.list();
    expect(listed.map((l) => [l.id, l.type, l.consumer, l.reason])).toEqual(
      events.map((e) => [e.id, 'GateChanged', 'notifications.flight-events', 'permanent']),
    );
    expect(listed[0]!.error).toBe('gate of flight-1 is not a real gate');
    expect(JSON.parse(listed[0]!.body)).toEqual(events[0]);
    // Reading is not taking.
    expect(await dlq.count()).toBe(2);
    expect((await dlq.show(events[1]!.id))?.id).toBe(events[1]!.id);

    fixed = true;
    const first = await dlq.replay([events[0]!.id]);
    expect(first).toEqual({ replayed: [events[0]!.id], failed: [] });
    await waitFor('the replayed message to be applied', () => applied.length === 1);
    expect(applied).toEqual([events[0]!.id]);
    expect(await dlq.count()).toBe(1);

    // Replaying it again changes nothing: it is no longer there.
    expect(await dlq.replay([events[0]!.id])).toEqual({ replayed: [], failed: [] });
    const rest = await dlq.replay('all');
    expect(rest.replayed).toEqual([events[1]!.id]);
    await waitFor('the second replay to be applied', () => applied.length === 2);
    await sleep(150);
    expect(applied).toEqual(events.map((e) => e.id));
    expect(await dlq.count()).toBe(0);
  });

  it('the dead-letter count is on /metrics for alerting, read from the broker when scraped', async () => {
    await env.consumer({
      queue: 'notifications.flight-events',
      bindings: eventBindings('GateChanged'),
      inbox: new PostgresInbox(env.orm),
      handler: async () => {
        throw new PermanentError('never');
      },
    });
    const dlq = new DeadLetterQueue(env.amqp);
    const unwatch = watchDeadLetters(dlq);
    try {
      const sample = async () =>
        new RegExp(`messaging_dead_letters\\{queue="${dlq.name}"\\} (\\d+)`).exec(
          (await metricsText()).body,
        )?.[1];
      expect(await sample()).toBe('0');
      const event = gateChanged('flight-9', 'W1');
      await env.publishRaw('flight.events', 'GateChanged', JSON.stringify(event));
      await waitFor('the gauge to count it', async () => (await sample()) === '1');
    } finally {
      unwatch();
    }
  });

  it('a message replayed twice (a crash between publishing and removing it) is applied once', async () => {
    let fixed = false;
    let calls = 0;
    const consumer = await env.consumer({
      queue: 'notifications.flight-events',
      bindings: eventBindings('GateChanged'),
      inbox: new PostgresInbox(env.orm),
      handler: async () => {
        if (!fixed) throw new PermanentError('not yet');
        calls += 1;
      },
    });
    const event = gateChanged('flight-3', 'Y1');
    await env.publishRaw('flight.events', 'GateChanged', JSON.stringify(event), {
      messageId: event.id,
    });
    const dlq = new DeadLetterQueue(env.amqp);
    await waitFor('dead-lettered', async () => (await dlq.count()) === 1);
    const [dead] = await env.drainQueue(consumer.queues.deadLetters);
    fixed = true;
    // What a replay that published but crashed before removing its copy leaves behind: two copies.
    for (let i = 0; i < 2; i++)
      await env.publishRaw('', consumer.queues.work, dead!.content, {
        messageId: event.id,
        headers: { 'x-replays': 1 },
      });
    await waitFor('both copies handled', () =>
      env.logs.some((l) => l.msg === 'duplicate message skipped' && l.messageId === event.id),
    );
    expect(calls).toBe(1);
  });

  it('a replay whose consumer queue no longer exists stays dead-lettered and says why', async () => {
    const consumer = await env.consumer({
      queue: 'notifications.flight-events',
      bindings: eventBindings('GateChanged'),
      inbox: new PostgresInbox(env.orm),
      handler: async () => {
        throw new PermanentError('never');
      },
    });
    const event = gateChanged('flight-4', 'X1');
    await env.publishRaw('flight.events', 'GateChanged', JSON.stringify(event), {
      messageId: event.id,
    });
    const dlq = new DeadLetterQueue(env.amqp);
    await waitFor('dead-lettered', async () => (await dlq.count()) === 1);
    await consumer.stop();
    const channel = await env.amqp.adminChannel();
    await channel.deleteQueue(consumer.queues.work);
    await channel.close();

    const report = await dlq.replay('all');
    expect(report.replayed).toEqual([]);
    expect(report.failed).toEqual([{ id: event.id, why: expect.stringMatching(/does not exist/) }]);
    expect(await dlq.count()).toBe(1);
  });
});
