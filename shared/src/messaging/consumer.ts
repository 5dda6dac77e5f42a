import type { ConfirmChannel, ConsumeMessage, Message as AmqpMessage, Options } from 'amqplib';
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import { consumerRedeliveries } from '../metrics/domain-metrics.ts';
import { inMessageSpan } from '../tracing/propagation.ts';
import { publishConfirmed, type AmqpConnection } from './amqp.ts';
import type { Message, MessageType } from './events.ts';
import { failureKind, PermanentError, type FailureKind } from './failures.ts';
import type { Inbox } from './inbox.ts';
import {
  DEFAULT_RETRY,
  DEFAULT_RETRY_WINDOW_MS,
  declareConsumerQueues,
  declareExchanges,
  queueTopology,
  type Binding,
  type QueueTopology,
  type RetryPolicy,
} from './topology.ts';

export { PermanentError };

/** How a message reached the handler. */
export interface Delivery {
  /** 1 on the first delivery, 2 on the first retry, ... */
  attempt: number;
  /** The broker delivered it before (e.g. after a consumer crash): the inbox makes that harmless. */
  redelivered: boolean;
  exchange: string;
  routingKey: string;
}

/** What a handler receives besides the message: the inbox's context (e.g. `em`) and the delivery. */
export type HandlerContext<Ctx extends object> = Ctx & { delivery: Delivery };

/**
 * Applies one message; throwing makes it retried (a transient failure, for as long as the retry
 * window allows) or dead-lettered (a `PermanentError`).
 */
export type MessageHandler<Ctx extends object> = (
  message: Message,
  ctx: HandlerContext<Ctx>,
) => Promise<void>;

/** One handler per message type, for `dispatch`. */
export type HandlerMap<Ctx extends object> = {
  [K in MessageType]?: (
    message: Extract<Message, { type: K }>,
    ctx: HandlerContext<Ctx>,
  ) => Promise<void>;
};

/** Everything a consumer needs. */
export interface ConsumerOptions<Ctx extends object> {
  amqp: AmqpConnection;
  logger: Logger;
  /** Logical queue name, unique per consuming service and purpose, e.g. `notifications.booking-events`. */
  queue: string;
  bindings: Binding[];
  handler: MessageHandler<Ctx>;
  inbox: Inbox<Ctx>;
  retry?: RetryPolicy;
  /** Messages handled at the same time; 1 (the default) keeps delivery order. */
  concurrency?: number;
  /**
   * With `concurrency` above 1: the key whose messages must be applied one after another, in
   * delivery order (e.g. the booking a saga message is about). Messages of different keys run
   * side by side; a message without a key (or one that cannot be read) waits for nobody.
   */
  orderingKey?: (message: Message) => string | undefined;
  /** Messages the broker sends ahead (at least `concurrency`). */
  prefetch?: number;
  /** How long `stop` waits for handlers still running before it lets them go (default 5 s). */
  stopGraceMs?: number;
}

/** A running consumer. */
export interface Consumer {
  /** The real (prefixed) names of its work, retry and dead-letter queues. */
  readonly queues: QueueTopology;
  /**
   * Stops taking messages, lets the ones being handled finish (for up to `stopGraceMs`; one still
   * running after that is left unacknowledged and redelivered elsewhere, where the inbox makes it
   * harmless) and closes its channel.
   */
  stop(): Promise<void>;
}

/** Builds a handler that routes each message to the function for its type; an unexpected type is dead-lettered. */
export function dispatch<Ctx extends object>(handlers: HandlerMap<Ctx>): MessageHandler<Ctx> {
  return async (message, ctx) => {
    // The map's key and the message's type agree by construction; TypeScript cannot see through the lookup.
    const handle = handlers[message.type] as MessageHandler<Ctx> | undefined;
    if (!handle) throw new PermanentError(`no handler for message type ${message.type}`);
    await handle(message, ctx);
  };
}

/**
 * Declares the consumer's queues and starts consuming; resolves once subscribed. Re-subscribes by
 * itself after a channel or connection loss.
 */
export async function startConsumer<Ctx extends object>(
  options: ConsumerOptions<Ctx>,
): Promise<Consumer> {
  const consumer = new QueueConsumer(options);
  await consumer.start();
  return consumer;
}

// Retry bookkeeping travels with the message: how many retries it has had, and when it first
// failed (the retry window is counted from there).
const HEADER_ATTEMPT = 'x-attempt';
const HEADER_FIRST_FAILED_AT = 'x-first-failed-at';

/** Why a message is in the dead-letter queue (`x-dead-letter-reason`). */
export type DeadLetterReason =
  /** Not a message this system can read (not JSON, no envelope). */
  | 'malformed'
  /** A handler refused it for good (`PermanentError`: invalid payload, a rule that cannot pass). */
  | 'permanent'
  /** It kept failing transiently for the whole retry window (or the policy has no retries). */
  | 'retries-exhausted'
  /** The broker dead-lettered it (rejected without requeue); moved here from `<queue>.dlq`. */
  | 'rejected-by-broker';

// Payloads are typed by the catalogue at compile time on both sides; the envelope is what a
// consumer must be able to trust before touching the inbox.
const envelopeSchema = z.object({
  id: z.guid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.string().min(1),
  aggregateId: z.string(),
  correlationId: z.string().optional(),
  payload: z.record(z.string(), z.unknown()),
});

function decode(content: Buffer): Message {
  let json: unknown;
  try {
    json = JSON.parse(content.toString('utf8'));
  } catch (err) {
    throw new PermanentError(`malformed message: not JSON (${(err as Error).message})`);
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((i) => `${i.path.join('.') || 'envelope'}: ${i.message}`)
      .join('; ');
    throw new PermanentError(`malformed message: ${detail}`);
  }
  return parsed.data as Message;
}

interface Task {
  channel: ConfirmChannel;
  msg: ConsumeMessage;
  /** The ordering key, read once when the message arrives (undefined: none). */
  key: string | undefined;
}

class QueueConsumer<Ctx extends object> implements Consumer {
  readonly queues: QueueTopology;
  readonly #options: ConsumerOptions<Ctx>;
  readonly #logger: Logger;
  readonly #retry: RetryPolicy;
  readonly #retryForMs: number;
  readonly #stopGraceMs: number;
  readonly #concurrency: number;
  readonly #prefetch: number;
  readonly #tasks: Task[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  /** Ordering keys with a message being handled right now. */
  readonly #busyKeys = new Set<string>();
  #channel: ConfirmChannel | undefined;
  #consumerTag: string | undefined;
  #subscribing: Promise<void> | undefined;
  #resubscribeTimer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #stopped = false;

  constructor(options: ConsumerOptions<Ctx>) {
    this.#options = options;
    this.#retry = options.retry ?? DEFAULT_RETRY;
    this.#retryForMs = this.#retry.retryForMs ?? DEFAULT_RETRY_WINDOW_MS;
    this.#stopGraceMs = options.stopGraceMs ?? 5_000;
    this.#concurrency = Math.max(1, options.concurrency ?? 1);
    this.#prefetch = Math.max(this.#concurrency, options.prefetch ?? 10);
    this.#logger = options.logger.child({ component: 'consumer', queue: options.queue });
    this.queues = queueTopology(options.amqp.prefix, options.queue, this.#retry);
  }

  async start(): Promise<void> {
    await this.#options.amqp.whenConnected();
    await this.#ensureSubscribed();
    // From now on every reconnection re-subscribes (the first call is a no-op: already subscribed).
    this.#unsubscribe = this.#options.amqp.onConnected(() => this.#ensureSubscribed());
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    clearTimeout(this.#resubscribeTimer);
    await this.#subscribing?.catch(() => undefined);
    const channel = this.#channel;
    if (channel && this.#consumerTag)
      await channel.cancel(this.#consumerTag).catch(() => undefined);
    // Not started yet: left unacknowledged, the broker gives them to the next consumer.
    this.#tasks.length = 0;
    let grace: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      Promise.allSettled([...this.#inFlight]).then(() => true),
      new Promise<false>(
        (resolve) => (grace = setTimeout(() => resolve(false), this.#stopGraceMs)),
      ),
    ]);
    clearTimeout(grace);
    if (!finished)
      this.#logger.warn(
        { running: this.#inFlight.size },
        'stopping with messages still being handled; they will be redelivered',
      );
    this.#channel = undefined;
    if (channel) await channel.close().catch(() => undefined);
  }

  #ensureSubscribed(): Promise<void> {
    if (this.#stopped || this.#channel) return Promise.resolve();
    this.#subscribing ??= this.#subscribe().finally(() => {
      this.#subscribing = undefined;
    });
    return this.#subscribing;
  }

  async #subscribe(): Promise<void> {
    const { amqp } = this.#options;
    // The close callback only runs after the channel exists, so it can refer to it.
    const channel: ConfirmChannel = await amqp.consumeChannel(this.#prefetch, () =>
      this.#onChannelClosed(channel),
    );
    try {
      await declareExchanges(channel, amqp.prefix);
      await declareConsumerQueues(channel, amqp.prefix, {
        queue: this.#options.queue,
        bindings: this.#options.bindings,
        retry: this.#retry,
      });
      this.#channel = channel;
      const subscribed = channel;
      const { consumerTag } = await channel.consume(this.queues.work, (msg) => {
        // null: the broker cancelled the consumer (queue deleted); the channel-close path recovers.
        if (msg) this.#accept({ channel: subscribed, msg, key: this.#keyOf(msg) });
      });
      this.#consumerTag = consumerTag;
      this.#logger.debug('consumer subscribed');
      await this.#adoptBrokerDeadLetters(channel);
    } catch (err) {
      if (this.#channel === channel) this.#channel = undefined;
      await channel.close().catch(() => undefined);
      throw err;
    }
  }

  #onChannelClosed(channel: ConfirmChannel): void {
    if (this.#channel !== channel) return;
    this.#channel = undefined;
    this.#consumerTag = undefined;
    if (this.#stopped) return;
    this.#logger.warn('consumer channel closed; re-subscribing');
    this.#scheduleResubscribe(200);
  }

  // A lost connection is handled by the onConnected listener; this covers a channel that died
  // on a live connection, and a re-subscription that failed.
  #scheduleResubscribe(delayMs: number): void {
    clearTimeout(this.#resubscribeTimer);
    this.#resubscribeTimer = setTimeout(() => {
      if (this.#stopped || !this.#options.amqp.connected) return;
      this.#ensureSubscribed().catch((err: unknown) => {
        this.#logger.warn({ err }, 're-subscription failed; trying again');
        this.#scheduleResubscribe(Math.min(delayMs * 2, 5_000));
      });
    }, delayMs);
  }

  #accept(task: Task): void {
    this.#tasks.push(task);
    this.#pump();
  }

  /** The message's ordering key; none when there is no key function or it cannot be read (#process dead-letters it). */
  #keyOf(msg: ConsumeMessage): string | undefined {
    const keyOf = this.#options.orderingKey;
    if (!keyOf || this.#concurrency === 1) return undefined;
    try {
      return keyOf(decode(msg.content));
    } catch {
      return undefined;
    }
  }

  /**
   * Starts waiting messages while there is room, oldest first; one whose key is busy stays
   * queued (and so does every later message of that key), so a key's messages run in order.
   */
  #pump(): void {
    for (let i = 0; i < this.#tasks.length && this.#inFlight.size < this.#concurrency;) {
      const task = this.#tasks[i]!;
      // Its channel is gone: the broker has already requeued it for the next subscription.
      if (task.channel !== this.#channel) {
        this.#tasks.splice(i, 1);
        continue;
      }
      const { key } = task;
      if (key !== undefined && this.#busyKeys.has(key)) {
        i++;
        continue;
      }
      this.#tasks.splice(i, 1);
      if (key !== undefined) this.#busyKeys.add(key);
      const running: Promise<void> = this.#process(task).finally(() => {
        if (key !== undefined) this.#busyKeys.delete(key);
        this.#inFlight.delete(running);
        this.#pump();
      });
      this.#inFlight.add(running);
    }
  }

  async #process({ channel, msg }: Task): Promise<void> {
    const headers = msg.properties.headers ?? {};
    const retriesDone = Number(headers[HEADER_ATTEMPT] ?? 0) || 0;
    let message: Message;
    try {
      message = decode(msg.content);
    } catch (err) {
      await this.#deadLetter(channel, msg, err, 'malformed', retriesDone, undefined);
      return;
    }
    const delivery: Delivery = {
      attempt: retriesDone + 1,
      redelivered: msg.fields.redelivered,
      exchange: String(headers['x-original-exchange'] ?? msg.fields.exchange),
      routingKey: String(headers['x-original-routing-key'] ?? msg.fields.routingKey),
    };
    // A message seen again (the broker's redelivery or our own retry) is what the dashboard tracks.
    if (delivery.attempt > 1 || delivery.redelivered)
      consumerRedeliveries().inc({ queue: this.#options.queue });
    try {
      // The handler runs in the trace the message carries: what it enqueues carries it on.
      const outcome = await inMessageSpan(
        `${this.#options.queue} process`,
        'consumer',
        headers,
        { 'messaging.system': 'rabbitmq', 'messaging.message.type': message.type },
        () =>
          this.#options.inbox.once(this.#options.queue, message, (ctx) =>
            this.#options.handler(message, { ...ctx, delivery }),
          ),
      );
      if (outcome === 'duplicate') {
        this.#logger.info(
          { messageId: message.id, type: message.type },
          'duplicate message skipped',
        );
      }
      this.#ack(channel, msg);
    } catch (err) {
      await this.#failed(channel, msg, err, retriesDone, message);
    }
  }

  /** A handler failed: dead-letter a permanent failure, retry anything else while the window is open. */
  async #failed(
    channel: ConfirmChannel,
    msg: ConsumeMessage,
    err: unknown,
    retriesDone: number,
    message: Message,
  ): Promise<void> {
    const kind = failureKind(err);
    if (kind === 'permanent') {
      await this.#deadLetter(channel, msg, err, 'permanent', retriesDone, message);
      return;
    }
    const firstFailedAt = Number(msg.properties.headers?.[HEADER_FIRST_FAILED_AT]) || Date.now();
    const windowOpen = Date.now() - firstFailedAt < this.#retryForMs;
    const levels = this.queues.retries;
    if (!levels.length || !windowOpen) {
      await this.#deadLetter(channel, msg, err, 'retries-exhausted', retriesDone, message, kind);
      return;
    }
    // Up the ladder, then on its top level until the window closes.
    const target = levels[Math.min(retriesDone, levels.length - 1)]!;
    const log = {
      messageId: message.id,
      type: message.type,
      attempt: retriesDone + 1,
      delayMs: target.delayMs,
      failure: kind,
      failingForMs: Date.now() - firstFailedAt,
    };
    // A dependency being away is expected and said once per retry; anything else may be a bug.
    if (kind === 'transient')
      this.#logger.warn(
        { ...log, err: errorMessage(err) },
        'message handler failed; retrying later',
      );
    else this.#logger.error({ ...log, err }, 'message handler failed; retrying later');
    await this.#moveTo(channel, msg, target.name, {
      [HEADER_ATTEMPT]: retriesDone + 1,
      [HEADER_FIRST_FAILED_AT]: firstFailedAt,
      'x-last-error': truncate(errorMessage(err), 1_000),
    });
  }

  async #deadLetter(
    channel: ConfirmChannel,
    msg: ConsumeMessage,
    err: unknown,
    reason: DeadLetterReason,
    retriesDone: number,
    message: Message | undefined,
    kind?: FailureKind,
  ): Promise<void> {
    this.#logger.error(
      {
        messageId: message?.id ?? msg.properties.messageId,
        type: message?.type ?? msg.properties.type,
        retries: retriesDone,
        reason,
        err,
      },
      'message dead-lettered',
    );
    await this.#moveTo(channel, msg, this.queues.deadLetters, {
      [HEADER_ATTEMPT]: retriesDone,
      'x-dead-letter-reason': reason,
      ...(kind ? { 'x-failure-kind': kind } : {}),
      'x-error': truncate(errorMessage(err), 4_000),
      'x-error-stack': truncate(err instanceof Error ? (err.stack ?? '') : '', 4_000),
      'x-failed-at': new Date().toISOString(),
      'x-consumer': this.#options.queue,
      // Where a replay sends it back to.
      'x-queue': this.queues.work,
    });
  }

  /**
   * Moves what the broker dead-lettered into `<queue>.dlq` (a rejection, or an earlier version of
   * this code) to the shared dead-letter queue, so operators and alerts look in one place.
   */
  async #adoptBrokerDeadLetters(channel: ConfirmChannel): Promise<void> {
    for (let count = 0; count < 10_000; count++) {
      const msg = await channel.get(this.queues.dlq, { noAck: false });
      if (!msg) return;
      const headers = msg.properties.headers ?? {};
      const moved = await this.#moveTo(channel, msg, this.queues.deadLetters, {
        'x-dead-letter-reason': headers['x-dead-letter-reason'] ?? 'rejected-by-broker',
        'x-error': headers['x-error'] ?? 'dead-lettered by the broker',
        'x-failed-at': headers['x-failed-at'] ?? new Date().toISOString(),
        'x-consumer': this.#options.queue,
        'x-queue': this.queues.work,
      });
      if (!moved) return;
    }
  }

  /** Publishes a copy to another queue and only then acknowledges the original: the broker never loses it. */
  async #moveTo(
    channel: ConfirmChannel,
    msg: AmqpMessage,
    queue: string,
    extra: Record<string, unknown>,
  ): Promise<boolean> {
    try {
      await publishConfirmed(channel, '', queue, msg.content, copyProperties(msg, extra));
      this.#ack(channel, msg);
      return true;
    } catch (err) {
      // Left unacknowledged: the broker redelivers it when the channel is back.
      this.#logger.error({ err, queue }, 'could not move message; it will be redelivered');
      return false;
    }
  }

  #ack(channel: ConfirmChannel, msg: AmqpMessage): void {
    try {
      channel.ack(msg);
    } catch (err) {
      // The channel closed under us: the message is redelivered and the inbox skips it.
      this.#logger.debug({ err }, 'ack after channel close');
    }
  }
}

/** The original message's properties with the broker's dead-letter bookkeeping removed and our headers added. */
function copyProperties(msg: AmqpMessage, extra: Record<string, unknown>): Options.Publish {
  const p = msg.properties;
  const headers: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(p.headers ?? {})) {
    // x-death grows with every trip through a retry queue; the attempt header says all we need.
    if (key === 'x-death' || key.startsWith('x-first-death') || key.startsWith('x-last-death'))
      continue;
    headers[key] = value;
  }
  // Kept from the first delivery: after a retry the message arrives from the default exchange.
  headers['x-original-exchange'] ??= msg.fields.exchange;
  headers['x-original-routing-key'] ??= msg.fields.routingKey;
  return {
    persistent: true,
    contentType: p.contentType as string | undefined,
    contentEncoding: p.contentEncoding as string | undefined,
    messageId: p.messageId as string | undefined,
    correlationId: p.correlationId as string | undefined,
    type: p.type as string | undefined,
    timestamp: p.timestamp as number | undefined,
    appId: p.appId as string | undefined,
    headers: { ...headers, ...extra },
  };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
