import type { Channel, GetMessage, Options } from 'amqplib';
import { publishConfirmed, type AmqpConnection } from './amqp.ts';
import { deadLetterQueue } from './topology.ts';

/** One message in the dead-letter queue, as an operator reads it. */
export interface DeadLetter {
  /** The message id (the envelope's id): what `show` and `replay` take. */
  id: string;
  type: string;
  /** The logical consumer queue that gave up on it, e.g. `bookings.saga`. */
  consumer: string;
  /** The real work queue a replay sends it back to. */
  queue: string;
  reason: string;
  error: string;
  failedAt: string;
  /** Retries it had before it was dead-lettered. */
  retries: number;
  /** Replays it has had before (it came back). */
  replays: number;
  headers: Record<string, unknown>;
  /** The message as published (JSON text). */
  body: string;
}

/** What a replay did. */
export interface ReplayReport {
  /** Ids sent back to their consumers' queues. */
  replayed: string[];
  /** Ids that could not be sent back, with why (they stay dead-lettered). */
  failed: { id: string; why: string }[];
}

// Bookkeeping of the consumer's retry and dead-letter paths: a replay starts the message afresh.
const RESET_HEADERS = [
  'x-attempt',
  'x-first-failed-at',
  'x-last-error',
  'x-dead-letter-reason',
  'x-failure-kind',
  'x-error',
  'x-error-stack',
  'x-failed-at',
];

/**
 * The dead-letter queue of one prefix (every consumer's dead letters), for operators: count, read
 * and replay. Reading takes messages without acknowledging them and hands them all back, so it
 * never loses one; a replay publishes the message (same id) back to its consumer's work queue
 * with a fresh retry budget, confirmed by the broker, and only then removes it from the
 * dead-letter queue. Replaying is idempotent: an id that is no longer dead-lettered is reported
 * as not found, and a message replayed twice (a crash between publish and removal) is applied
 * once by the consumer's inbox.
 */
export class DeadLetterQueue {
  readonly name: string;
  readonly #amqp: AmqpConnection;

  constructor(amqp: AmqpConnection) {
    this.#amqp = amqp;
    this.name = deadLetterQueue(amqp.prefix);
  }

  /** Messages waiting in the dead-letter queue (0 when no consumer has declared it yet). */
  async count(): Promise<number> {
    return this.#withChannel((channel) => this.#size(channel));
  }

  /** Every dead letter, oldest first (they all stay in the queue). */
  async list(): Promise<DeadLetter[]> {
    return this.#withChannel(async (channel) => (await this.#browse(channel)).map(describe));
  }

  /** One dead letter by message id; undefined when it is not (or no longer) dead-lettered. */
  async show(id: string): Promise<DeadLetter | undefined> {
    return (await this.list()).find((letter) => letter.id === id);
  }

  /** Sends the dead letters with these ids (every one, for `'all'`) back to their consumers. */
  async replay(ids: readonly string[] | 'all'): Promise<ReplayReport> {
    const report: ReplayReport = { replayed: [], failed: [] };
    const wanted = ids === 'all' ? undefined : new Set(ids);
    const publisher = await this.#amqp.publishChannel();
    const returned = new Set<string>();
    const onReturn = (msg: { properties: { messageId?: string } }) => {
      if (msg.properties.messageId) returned.add(msg.properties.messageId);
    };
    publisher.on('return', onReturn);
    try {
      await this.#withChannel(async (channel) => {
        // Only what is there now: a replayed message that fails permanently again comes back to
        // the end of the queue and must not be replayed in a loop.
        for (const msg of await this.#browse(channel)) {
          const letter = describe(msg);
          if (wanted && !wanted.has(letter.id)) continue;
          if (report.replayed.includes(letter.id)) continue;
          try {
            if (!letter.queue) throw new Error('it does not say which queue it came from');
            await publishConfirmed(
              publisher,
              '',
              letter.queue,
              msg.content,
              replayed(msg, letter.id),
            );
            // A mandatory message no queue took is returned before it is confirmed.
            if (returned.delete(letter.id)) throw new Error(`queue ${letter.queue} does not exist`);
            channel.ack(msg);
            report.replayed.push(letter.id);
          } catch (err) {
            report.failed.push({ id: letter.id, why: (err as Error).message });
          }
        }
      });
    } finally {
      publisher.off('return', onReturn);
    }
    return report;
  }

  /** Takes every message without acknowledging it; closing the channel hands back the rest. */
  async #browse(channel: Channel): Promise<GetMessage[]> {
    const messageCount = await this.#size(channel);
    const messages: GetMessage[] = [];
    while (messages.length < messageCount) {
      const msg = await channel.get(this.name, { noAck: false });
      if (!msg) break;
      messages.push(msg);
    }
    return messages;
  }

  /** Looks without declaring: reading must not create queues on a broker (0 when it is missing). */
  async #size(channel: Channel): Promise<number> {
    try {
      return (await channel.checkQueue(this.name)).messageCount;
    } catch (err) {
      // 404 NOT_FOUND closes the channel; there is nothing to read either way.
      if ((err as { code?: unknown }).code === 404) return 0;
      throw err;
    }
  }

  async #withChannel<T>(work: (channel: Channel) => Promise<T>): Promise<T> {
    await this.#amqp.whenConnected();
    const channel = await this.#amqp.adminChannel();
    try {
      return await work(channel);
    } finally {
      // Unacknowledged messages go back to the queue, in their places.
      await channel.close().catch(() => undefined);
    }
  }
}

function describe(msg: GetMessage): DeadLetter {
  const headers = (msg.properties.headers ?? {}) as Record<string, unknown>;
  const body = msg.content.toString('utf8');
  const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));
  return {
    id: text(msg.properties.messageId) || envelopeId(body) || `#${msg.fields.deliveryTag}`,
    type: text(msg.properties.type) || text(headers['x-original-routing-key']),
    consumer: text(headers['x-consumer']),
    queue: text(headers['x-queue']),
    reason: text(headers['x-dead-letter-reason']) || 'unknown',
    error: text(headers['x-error']),
    failedAt: text(headers['x-failed-at']),
    retries: Number(headers['x-attempt'] ?? 0) || 0,
    replays: Number(headers['x-replays'] ?? 0) || 0,
    headers,
    body,
  };
}

function envelopeId(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The message's properties for its replay: same id and payload, retry bookkeeping reset. */
function replayed(msg: GetMessage, id: string): Options.Publish {
  const p = msg.properties;
  const headers: Record<string, unknown> = Object.fromEntries(
    Object.entries(p.headers ?? {}).filter(([key]) => !RESET_HEADERS.includes(key)),
  );
  headers['x-replays'] = (Number(headers['x-replays'] ?? 0) || 0) + 1;
  headers['x-replayed-at'] = new Date().toISOString();
  return {
    persistent: true,
    mandatory: true,
    contentType: p.contentType as string | undefined,
    contentEncoding: p.contentEncoding as string | undefined,
    // The id the inbox knows it by; also how a returned (unroutable) replay is recognised.
    messageId: (p.messageId as string | undefined) ?? id,
    correlationId: p.correlationId as string | undefined,
    type: p.type as string | undefined,
    timestamp: p.timestamp as number | undefined,
    appId: p.appId as string | undefined,
    headers,
  };
}
