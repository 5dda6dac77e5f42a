import { createLogger, openDatabase, type Config, type MikroORM } from '@airline/shared';
import { cleanupTestResources, testConfig, waitFor } from '@airline/shared/testing';
import { startSinks, type Sinks } from '../dev-sinks/sinks.ts';
import { Notification, type NotificationEntity } from '../notification/notification.entity.ts';
import { claimDue, queueNotifications } from '../notification/notification-store.ts';
import { Channel, Kind } from '../notification/vocabulary.ts';
import type { ChannelAdapter } from './channel-adapter.ts';
import { ChannelSender, type SenderOptions } from './channel-sender.ts';
import { SmsChannel } from './http-provider-channel.ts';
import { SmtpChannel, messageIdOf } from './smtp-channel.ts';
import { database } from '../database.ts';

// The senders against a real PostgreSQL database and the real SMTP and HTTP sinks.

let config: Config;
let orm: MikroORM;
let sinks: Sinks;
const running: ChannelSender[] = [];
let seq = 0;

const OPTIONS: SenderOptions = {
  concurrency: 4,
  pollMs: 50,
  leaseMs: 60_000,
  retry: { maxAttempts: 3, baseDelayMs: 20, factor: 2, maxDelayMs: 100 },
  breaker: { failuresToOpen: 50, halfOpenAfterMs: 60_000 },
};

beforeAll(async () => {
  config = testConfig('sender');
  orm = await openDatabase(config, database, createLogger(config, 'sender-test'));
  sinks = await startSinks({ smtp: 0, http: 0 });
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  sinks.smtp.behaviour.latencyMs = 0;
  sinks.sms.behaviour.failWith = null;
});

afterAll(async () => {
  await sinks?.stop();
  await orm?.close();
  if (config) await cleanupTestResources(config);
});

const sms = () => new SmsChannel({ url: `${sinks.httpUrl}/sms`, apiKey: 'test', timeoutMs: 2_000 });
const smtp = () =>
  new SmtpChannel(sinks.smtpUrl, {
    from: 'Airline <no-reply@airline.test>',
    maxConnections: 4,
    timeoutMs: 5_000,
  });

function start(adapter: ChannelAdapter, options: Partial<SenderOptions> = {}): ChannelSender {
  const sender = new ChannelSender(
    orm,
    adapter,
    { ...OPTIONS, ...options },
    createLogger(config, 'sender-test'),
  );
  sender.start();
  running.push(sender);
  return sender;
}

/** Queues `count` messages on a channel; returns their ids. */
async function queue(channel: Channel, count: number): Promise<string[]> {
  const keys = Array.from({ length: count }, () => `test:${++seq}`);
  await orm.em.fork().transactional((em) =>
    queueNotifications(
      em,
      keys.map((dedupeKey) => ({
        channel,
        kind: Kind.GATE_CHANGED,
        recipient: channel === Channel.EMAIL ? `p${seq}@example.com` : '+15550100200',
        customerId: null,
        bookingId: null,
        subject: `Gate change ${dedupeKey}`,
        bodyText: `Now gate C3 (${dedupeKey})`,
        bodyHtml: channel === Channel.EMAIL ? `<p>Now gate C3 (${dedupeKey})</p>` : null,
        attachments: [],
        dedupeKey,
      })),
    ),
  );
  const rows = await orm.em.fork().find(Notification, { dedupeKey: { $in: keys } });
  return rows.map((r) => r.id);
}

const read = (ids: string[]): Promise<NotificationEntity[]> =>
  orm.em.fork().find(Notification, { id: { $in: ids } }, { orderBy: { dedupeKey: 'asc' } });

const allSent = async (ids: string[]) => (await read(ids)).every((n) => n.status === 'SENT');

describe('ChannelSender', () => {
  test('a send that crashed before it was recorded is sent again under the same key: the SMS provider sends it once, SMTP keeps the Message-ID', async () => {
    const [smsId] = await queue(Channel.SMS, 1);
    const [emailId] = await queue(Channel.EMAIL, 1);
    // A sender claims each, the provider accepts it, and the process dies before recording.
    for (const [channel, adapter] of [
      [Channel.SMS, sms()],
      [Channel.EMAIL, smtp()],
    ] as const) {
      const [claimed] = await claimDue(orm.em.fork(), channel, 1, 300);
      await adapter.send(claimed!);
      await adapter.close();
    }
    // Another sender takes them over once the lease lapses.
    start(sms());
    start(smtp());
    await waitFor('both messages to be recorded SENT', () => allSent([smsId!, emailId!]));

    expect((await read([smsId!]))[0]).toMatchObject({ status: 'SENT', attempts: 2 });
    expect(sinks.sms.messages.filter((m) => m.idempotencyKey === smsId)).toHaveLength(1);
    const mail = sinks.smtp.emails.filter((e) => e.messageId === messageIdOf(emailId!));
    expect(mail).toHaveLength(1);
    // SMTP has no idempotency key: the server did receive it twice, as one Message-ID.
    expect(mail[0]!.deliveries).toBe(2);
  });

  test('a slow SMTP server holds up only e-mail: SMS goes out meanwhile', async () => {
    sinks.smtp.behaviour.latencyMs = 1_500;
    const emails = await queue(Channel.EMAIL, 3);
    const texts = await queue(Channel.SMS, 3);
    start(smtp());
    start(sms());
    await waitFor('every SMS to be SENT', () => allSent(texts));
    expect((await read(emails)).some((n) => n.status !== 'SENT')).toBe(true);
    await waitFor('the e-mails to be SENT too', () => allSent(emails));
  });

  test('bounded retries end in DEAD_LETTERED; a refusal for good dead-letters at once', async () => {
    sinks.sms.behaviour.failWith = 503;
    const before = sinks.sms.requests;
    const [flaky] = await queue(Channel.SMS, 1);
    start(sms());
    await waitFor(
      'the message to be dead-lettered',
      async () => (await read([flaky!]))[0]!.status === 'DEAD_LETTERED',
    );
    expect((await read([flaky!]))[0]).toMatchObject({ attempts: 3, sentAt: null });
    expect(sinks.sms.requests - before).toBe(3);

    sinks.sms.behaviour.failWith = 400;
    const [refused] = await queue(Channel.SMS, 1);
    await waitFor(
      'the refused message to be dead-lettered',
      async () => (await read([refused!]))[0]!.status === 'DEAD_LETTERED',
    );
    expect((await read([refused!]))[0]!.attempts).toBe(1);
  });

  test('an open circuit stops calling the provider and defers messages without using their attempts', async () => {
    sinks.sms.behaviour.failWith = 503;
    const before = sinks.sms.requests;
    const ids = await queue(Channel.SMS, 4);
    start(sms(), {
      concurrency: 1,
      retry: { maxAttempts: 10, baseDelayMs: 20, factor: 1, maxDelayMs: 20 },
      breaker: { failuresToOpen: 2, halfOpenAfterMs: 60_000 },
    });
    await waitFor('every message to wait for the circuit', async () =>
      (await read(ids)).every((n) => n.lastError?.includes('circuit open')),
    );
    expect(sinks.sms.requests - before).toBe(2);
    const rows = await read(ids);
    expect(rows.reduce((sum, n) => sum + n.attempts, 0)).toBe(2);
    expect(rows.every((n) => n.status !== 'DEAD_LETTERED')).toBe(true);
  });
});
