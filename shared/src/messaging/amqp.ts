import amqp from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel, Options } from 'amqplib';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';

/** Thrown when RabbitMQ cannot be reached at start-up; the message is the one line an operator needs. */
export class AmqpUnavailableError extends Error {
  override name = 'AmqpUnavailableError';
}

/** Tuning for one process's RabbitMQ connection. */
export interface AmqpConnectionOptions {
  /** Shown in the RabbitMQ management UI (`connection_name`), e.g. `bookings`. */
  name: string;
  /** First and largest pause between reconnection attempts. */
  reconnectDelayMs?: { min: number; max: number };
  /** Dead peers are noticed after about two missed heartbeats. */
  heartbeatSeconds?: number;
}

/** Called on every (re)connection: consumers re-declare their topology and re-subscribe here. */
export type ConnectedListener = (model: ChannelModel) => void | Promise<void>;

/**
 * One process's RabbitMQ connection: reconnects by itself when the connection drops, hands out a
 * shared confirm channel for publishing and fresh channels for consuming, and applies the
 * configured name prefix (`config.amqpPrefix`) to every exchange and queue.
 */
export class AmqpConnection {
  /** Prepended to every exchange and queue name, so test suites never see each other's messages. */
  readonly prefix: string;
  readonly #url: string;
  readonly #logger: Logger;
  readonly #options: Required<AmqpConnectionOptions>;
  readonly #listeners = new Set<ConnectedListener>();
  #model: ChannelModel | undefined;
  #publisher: Promise<ConfirmChannel> | undefined;
  #closing = false;
  #reconnectDelay: number;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #waiters: (() => void)[] = [];

  private constructor(config: Config, logger: Logger, options: AmqpConnectionOptions) {
    this.prefix = config.amqpPrefix;
    this.#logger = logger;
    this.#options = {
      // Capped low: once the broker is back, consumers and relays resume within seconds.
      reconnectDelayMs: { min: 100, max: 3_000 },
      heartbeatSeconds: 10,
      ...options,
    };
    this.#reconnectDelay = this.#options.reconnectDelayMs.min;
    const url = new URL(config.amqpUrl);
    if (!url.searchParams.has('heartbeat'))
      url.searchParams.set('heartbeat', String(this.#options.heartbeatSeconds));
    this.#url = url.toString();
  }

  /** Connects once (failing with `AmqpUnavailableError` if RabbitMQ is not there), then keeps the connection alive. */
  static async connect(
    config: Config,
    logger: Logger,
    options: AmqpConnectionOptions,
  ): Promise<AmqpConnection> {
    const connection = new AmqpConnection(config, logger, options);
    try {
      await connection.#open();
    } catch (err) {
      throw new AmqpUnavailableError(
        `RabbitMQ is not reachable at ${redact(config.amqpUrl)} (${describe(err)}): ` +
          'start it (e.g. `rabbitmq-server -detached` or `docker compose up -d rabbitmq`) or set AMQP_URL',
        { cause: err },
      );
    }
    return connection;
  }

  /** The prefixed, real name of a logical exchange or queue (the default exchange `''` stays `''`). */
  name(logical: string): string {
    return logical === '' ? '' : `${this.prefix}${logical}`;
  }

  /** True while a connection is open. */
  get connected(): boolean {
    return this.#model !== undefined;
  }

  /** The live amqplib connection, for diagnostics and tests; undefined while reconnecting. */
  get model(): ChannelModel | undefined {
    return this.#model;
  }

  /**
   * Registers a listener run now (if connected) and after every reconnection; returns the
   * function that unregisters it.
   */
  onConnected(listener: ConnectedListener): () => void {
    this.#listeners.add(listener);
    if (this.#model) void this.#notify(listener, this.#model);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves when a connection is open (immediately if it is). */
  whenConnected(): Promise<void> {
    if (this.#model) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** The process's shared publisher-confirms channel; re-created after a channel or connection failure. */
  publishChannel(): Promise<ConfirmChannel> {
    const model = this.#model;
    if (!model) return Promise.reject(new Error('RabbitMQ connection is down (reconnecting)'));
    if (!this.#publisher) {
      const created = model.createConfirmChannel().then((channel) => {
        watchChannel(channel, this.#logger, 'publish', () => {
          if (this.#publisher === created) this.#publisher = undefined;
        });
        return channel;
      });
      created.catch(() => {
        if (this.#publisher === created) this.#publisher = undefined;
      });
      this.#publisher = created;
    }
    return this.#publisher;
  }

  /**
   * A new confirm channel for one consumer, with its prefetch set; `onClose` runs when the
   * channel closes for any reason (the consumer decides whether to set itself up again).
   */
  async consumeChannel(prefetch: number, onClose: () => void): Promise<ConfirmChannel> {
    const model = this.#model;
    if (!model) throw new Error('RabbitMQ connection is down (reconnecting)');
    const channel = await model.createConfirmChannel();
    watchChannel(channel, this.#logger, 'consume', onClose);
    await channel.prefetch(prefetch);
    return channel;
  }

  /** A plain short-lived channel for administration (declaring, deleting, inspecting). */
  async adminChannel(): Promise<Channel> {
    const model = this.#model;
    if (!model) throw new Error('RabbitMQ connection is down (reconnecting)');
    const channel = await model.createChannel();
    watchChannel(channel, this.#logger, 'admin', () => {});
    return channel;
  }

  /** Closes the connection for good; no reconnection follows. */
  async close(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#reconnectTimer);
    const model = this.#model;
    this.#model = undefined;
    this.#publisher = undefined;
    if (model) {
      try {
        await model.close();
      } catch (err) {
        // Already closing or closed underneath us: nothing left to release.
        this.#logger.debug({ err }, 'amqp close');
      }
    }
  }

  async #open(): Promise<void> {
    const model = await amqp.connect(this.#url, {
      clientProperties: { connection_name: `${this.prefix}${this.#options.name}` },
      // amqplib leaves Nagle's algorithm on: a publish written right after a consumer's ack on
      // the same connection waits for the broker's delayed TCP ACK, about 40 ms per saga hop.
      noDelay: true,
    });
    model.on('error', (err: unknown) => this.#logger.warn({ err }, 'RabbitMQ connection error'));
    model.on('close', () => this.#onClose(model));
    model.on('blocked', (reason: unknown) =>
      this.#logger.warn({ reason }, 'RabbitMQ blocked publishing (resource alarm)'),
    );
    model.on('unblocked', () => this.#logger.info('RabbitMQ unblocked publishing'));
    if (this.#closing) {
      await model.close();
      return;
    }
    this.#model = model;
    this.#reconnectDelay = this.#options.reconnectDelayMs.min;
    for (const waiter of this.#waiters.splice(0)) waiter();
    for (const listener of this.#listeners) void this.#notify(listener, model);
  }

  #onClose(model: ChannelModel): void {
    if (this.#model !== model) return;
    this.#model = undefined;
    this.#publisher = undefined;
    if (this.#closing) return;
    this.#logger.warn('RabbitMQ connection lost; reconnecting');
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    const delay = this.#reconnectDelay;
    this.#reconnectDelay = Math.min(this.#reconnectDelay * 2, this.#options.reconnectDelayMs.max);
    this.#reconnectTimer = setTimeout(() => {
      if (this.#closing) return;
      this.#open().then(
        () => this.#logger.info('RabbitMQ connection re-established'),
        (err: unknown) => {
          this.#logger.warn(
            { err: describe(err), retryInMs: this.#reconnectDelay },
            'RabbitMQ reconnection failed',
          );
          this.#scheduleReconnect();
        },
      );
    }, delay);
  }

  async #notify(listener: ConnectedListener, model: ChannelModel): Promise<void> {
    try {
      await listener(model);
    } catch (err) {
      this.#logger.error({ err }, 'RabbitMQ on-connect setup failed');
    }
  }
}

/** Opens the process's RabbitMQ connection (see `AmqpConnection`). */
export function connectAmqp(config: Config, logger: Logger, name: string): Promise<AmqpConnection> {
  return AmqpConnection.connect(config, logger, { name });
}

// The confirms each channel still owes, failed together when the channel closes. amqplib fails
// them itself on close, but its loop stops at the first slot already confirmed out of order or
// published without a callback, so some callbacks were never called and a pipelined outbox
// batch waited for ever after a broker connection was cut.
const awaitingConfirm = new WeakMap<ConfirmChannel, Set<(err: Error) => void>>();

function confirmsOwedBy(channel: ConfirmChannel): Set<(err: Error) => void> {
  let owed = awaitingConfirm.get(channel);
  if (!owed) {
    const pending = new Set<(err: Error) => void>();
    channel.once('close', () => {
      const closed = new Error('channel closed before the broker confirmed the message');
      for (const fail of [...pending]) fail(closed);
    });
    awaitingConfirm.set(channel, pending);
    owed = pending;
  }
  return owed;
}

/**
 * Publishes on a confirm channel and resolves once the broker has taken responsibility for the
 * message; rejects on a nack or when the channel closes first. Many may be in flight at once.
 */
export function publishConfirmed(
  channel: ConfirmChannel,
  exchange: string,
  routingKey: string,
  content: Buffer,
  options: Options.Publish,
): Promise<void> {
  const owed = confirmsOwedBy(channel);
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => {
      owed.delete(fail);
      reject(err);
    };
    owed.add(fail);
    try {
      channel.publish(exchange, routingKey, content, options, (err: unknown) => {
        owed.delete(fail);
        if (err) reject(err instanceof Error ? err : new Error(String(err)));
        else resolve();
      });
    } catch (err) {
      // amqplib throws synchronously when the channel is already closed.
      fail(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

// A channel without an 'error' listener would crash the process on the first server-side
// channel error (e.g. a 404 on a missing exchange); it is logged and the owner is told instead.
function watchChannel(
  channel: Channel,
  logger: Logger,
  purpose: string,
  onClose: () => void,
): void {
  channel.on('error', (err: unknown) =>
    logger.warn({ err: describe(err), purpose }, 'RabbitMQ channel error'),
  );
  channel.on('close', onClose);
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

function describe(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return describe(err.errors[0]);
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
