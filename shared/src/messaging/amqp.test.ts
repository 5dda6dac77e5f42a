import { publishConfirmed } from './amqp.ts';
import { createMessagingTestEnv, type MessagingTestEnv } from './testkit.ts';

describe('publishConfirmed', () => {
  let env: MessagingTestEnv;
  beforeEach(async () => {
    env = await createMessagingTestEnv();
  });
  afterEach(async () => {
    await env.dispose();
  });

  it('fails every confirm still owed when the channel closes, even behind one amqplib cannot settle', async () => {
    const channel = await env.amqp.consumeChannel(1, () => undefined);
    // A publish without a callback to an exchange that does not exist: amqplib keeps an empty
    // slot for its confirm, and the broker closes the channel for the missing exchange. On close
    // amqplib stops failing confirms at that slot, so the two below would wait for ever.
    channel.publish(env.amqp.name('no-such-exchange'), 'x', Buffer.from('{}'));
    const owed = [1, 2].map((n) =>
      publishConfirmed(channel, '', 'no-such-queue', Buffer.from(`{"n":${n}}`), {}),
    );
    const outcomes = await Promise.race([
      Promise.allSettled(owed),
      new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 5_000)),
    ]);

    expect(outcomes).not.toBe('still waiting');
    for (const outcome of outcomes as PromiseSettledResult<void>[]) {
      expect(outcome.status).toBe('rejected');
      expect(String((outcome as PromiseRejectedResult).reason)).toMatch(/channel closed/);
    }
    // A closed channel refuses at once.
    await expect(
      publishConfirmed(channel, '', 'no-such-queue', Buffer.from('{}'), {}),
    ).rejects.toThrow(/closed/i);
  });
});
