import pg from 'pg';
import type { ConfirmChannel } from 'amqplib';
import type { Logger } from '../logger.ts';
import { outboxLag } from '../metrics/domain-metrics.ts';
import { inMessageSpan } from '../tracing/propagation.ts';
import { publishConfirmed, type AmqpConnection } from './amqp.ts';
import { isCommandType, type Message } from './events.ts';
import { OUTBOX_NOTIFY_CHANNEL, type OutboxHeaders } from './outbox.ts';
import { declareExchanges } from './topology.ts';

/** The advisory lock that elects the one active relay of a database (db.ts's migration lock is 727001). */
export const OUTBOX_RELAY_LOCK = 727_002;

/** Where the relay reads from and how eagerly it works. */
export interface OutboxRelayOptions {
  /** The service's own database, e.g. `${config.postgresUrl}/${databaseName(config, 'bookings')}`. */
  databaseUrl: string;
  amqp: AmqpConnection;
  logger: Logger;
  /** Rows read per query. */
  batchSize?: number;
  /** Safety-net poll while idle, in case a NOTIFY was missed (e.g. during a reconnection). */
  pollIntervalMs?: number;
  /** How often a standby relay tries to take the lock over (how fast it fails over). */
  lockRetryMs?: number;
  /** Pause after a failed publish, doubling up to the maximum while the broker stays away. */
  errorBackoffMs?: { min: number; max: number };
  /** Published rows older than this are deleted (null keeps them forever). */
  retentionMs?: number | null;
}

interface OutboxRow {
  id: string;
  message_id: string;
  exchange: string;
  routing_key: string;
  payload: Message;
  headers: OutboxHeaders | null;
}

type BatchOutcome = 'idle' | 'partial' | 'full' | 'failed';

const CLEANUP_EVERY_MS = 60 * 60 * 1000;

/**
 * Relays committed outbox rows to RabbitMQ in id order, with publisher confirms, at least once.
 * One relay per database is active at a time: it holds a PostgreSQL advisory lock on a
 * connection of its own, and any other relay waits on that lock and takes over when the holder
 * stops or dies. A broker outage only delays rows; none is skipped or dropped.
 */
export class OutboxRelay {
  readonly #databaseUrl: string;
  /** The outbox's database name: the `service` label of the lag gauge. */
  readonly #database: string;
  readonly #amqp: AmqpConnection;
  readonly #logger: Logger;
  readonly #batchSize: number;
  readonly #pollIntervalMs: number;
  readonly #lockRetryMs: number;
  readonly #backoff: { min: number; max: number };
  readonly #retentionMs: number | null;
  #running: Promise<void> | undefined;
  #stopping = false;
  #active = false;
  #published = 0;
  #lastCleanup = 0;
  #client: pg.Client | undefined;
  #lostConnection: Error | undefined;
  // Wake-ups: `#notified` comes from NOTIFY (new rows), `#kicked` from a broker reconnection or
  // stop(); an error backoff only listens to the latter, so a burst of inserts during an outage
  // does not turn into a burst of failing publishes.
  #notified = false;
  #kicked = false;
  #wakeWaiter: ((reason: 'notified' | 'kicked') => void) | undefined;
  #unsubscribe: (() => void) | undefined;
  readonly #returned = new Set<string>();
  readonly #watchedChannels = new WeakSet<ConfirmChannel>();

  constructor(options: OutboxRelayOptions) {
    this.#databaseUrl = options.databaseUrl;
    this.#database = new URL(options.databaseUrl).pathname.replace(/^\//, '') || 'unknown';
    this.#amqp = options.amqp;
    this.#logger = options.logger.child({ component: 'outbox-relay' });
    this.#batchSize = options.batchSize ?? 100;
    this.#pollIntervalMs = options.pollIntervalMs ?? 5_000;
    this.#lockRetryMs = options.lockRetryMs ?? 500;
    this.#backoff = options.errorBackoffMs ?? { min: 200, max: 5_000 };
    this.#retentionMs =
      options.retentionMs === undefined ? 7 * 24 * 60 * 60 * 1000 : options.retentionMs;
  }

  /** True while this relay holds the lock and is the one publishing. */
  get active(): boolean {
    return this.#active;
  }

  /** Rows this relay has published since it started. */
  get publishedCount(): number {
    return this.#published;
  }

  /**
   * Starts relaying in the background; resolves once the database answered (rejects if it does
   * not), whether or not this relay became the active one.
   */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#stopping = false;
    // Fail start-up on a wrong URL instead of retrying forever in the background.
    const probe = new pg.Client({ connectionString: this.#databaseUrl });
    await probe.connect();
    await probe.end();
    this.#unsubscribe = this.#amqp.onConnected(() => this.#wake('kicked'));
    this.#running = this.#run();
  }

  /** Stops publishing (finishing the message in flight), releases the lock and closes its connection. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#unsubscribe?.();
    this.#wake('kicked');
    await this.#running;
    this.#running = undefined;
  }

  async #run(): Promise<void> {
    let backoff = this.#backoff.min;
    while (!this.#stopping) {
      let client: pg.Client | undefined;
      try {
        client = await this.#connect();
        if (!(await this.#acquireLock(client))) continue;
        await client.query(`listen "${OUTBOX_NOTIFY_CHANNEL}"`);
        this.#active = true;
        this.#logger.info('outbox relay is active');
        backoff = this.#backoff.min;
        await this.#publishLoop(client);
      } catch (err) {
        if (!this.#stopping)
          this.#logger.warn({ err }, 'outbox relay lost its database connection; reconnecting');
      } finally {
        if (this.#active) this.#logger.info('outbox relay stepped down');
        this.#active = false;
        this.#client = undefined;
        // Ending the session releases the advisory lock: a standby relay takes over.
        await client?.end().catch(() => undefined);
      }
      if (!this.#stopping) {
        await this.#wait(backoff, false);
        backoff = Math.min(backoff * 2, this.#backoff.max);
      }
    }
  }

  async #connect(): Promise<pg.Client> {
    this.#lostConnection = undefined;
    const client = new pg.Client({
      connectionString: this.#databaseUrl,
      application_name: 'outbox-relay',
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 5_000,
      // The lock is released when the server sees this session end. A process that is killed
      // closes its socket and the standby takes over within `lockRetryMs`; one whose host or
      // network vanished sends nothing, so the server probes the socket and gives the lock up
      // after about 15 s of silence instead of the kernel's default two hours.
      options: '-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=5',
    });
    // Events of a connection this relay already gave up on must not disturb the next one.
    this.#client = client;
    client.on('error', (err) => {
      if (this.#client !== client) return;
      this.#lostConnection = err;
      this.#wake('kicked');
    });
    client.on('end', () => {
      if (this.#client !== client) return;
      this.#lostConnection ??= new Error('database connection ended');
      this.#wake('kicked');
    });
    client.on('notification', () => this.#wake('notified'));
    await client.connect();
    return client;
  }

  /** Waits until this relay holds the lock; false when it stopped first. */
  async #acquireLock(client: pg.Client): Promise<boolean> {
    let waitingLogged = false;
    while (!this.#stopping) {
      this.#throwIfConnectionLost();
      // relay election: session-level lock, held until this connection ends.
      const { rows } = await client.query<{ locked: boolean }>(
        'select pg_try_advisory_lock($1) as locked',
        [OUTBOX_RELAY_LOCK],
      );
      if (rows[0]?.locked) return true;
      if (!waitingLogged) this.#logger.info('another outbox relay is active; standing by');
      waitingLogged = true;
      await this.#wait(this.#lockRetryMs, false);
    }
    return false;
  }

  async #publishLoop(client: pg.Client): Promise<void> {
    let backoff = this.#backoff.min;
    while (!this.#stopping) {
      this.#throwIfConnectionLost();
      const outcome = await this.#publishBatch(client);
      if (outcome === 'failed') {
        await this.#wait(backoff, false);
        backoff = Math.min(backoff * 2, this.#backoff.max);
        continue;
      }
      backoff = this.#backoff.min;
      if (outcome === 'full') continue;
      await this.#cleanup(client);
      await this.#wait(this.#pollIntervalMs, true);
    }
  }

  async #publishBatch(client: pg.Client): Promise<BatchOutcome> {
    this.#notified = false;
    // outbox claim: the oldest pending rows in id order. No row locks: only the lock holder reads.
    const { rows } = await client.query<OutboxRow>(
      `select id, message_id, exchange, routing_key, payload, headers
         from outbox
        where published_at is null
        order by id
        limit $1`,
      [this.#batchSize],
    );
    this.#reportLag(rows[0]);
    if (!rows.length) return 'idle';

    const published: string[] = [];
    let failure: { row: OutboxRow; err: unknown } | undefined;
    try {
      const channel = await this.#amqp.publishChannel();
      await this.#prepare(channel);
      // outbox pipeline: the batch goes out in id order on one channel without waiting for each
      // confirm, so the broker confirms (and syncs to disk) many rows per round trip instead of
      // one. Only the rows confirmed before the first failure are marked; that row and every
      // later one are published again, in order (the consumers' inboxes absorb the copies that
      // did arrive). A closed channel fails every confirm still owed (`publishConfirmed`).
      const attempts: Promise<void>[] = [];
      for (const row of rows) {
        if (this.#stopping || this.#lostConnection) break;
        attempts.push(this.#publish(channel, row));
      }
      const outcomes = await Promise.allSettled(attempts);
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome.status === 'rejected') {
          failure = { row: rows[i]!, err: outcome.reason };
          break;
        }
        published.push(rows[i]!.id);
      }
    } catch (err) {
      failure = { row: rows[0]!, err };
    }

    if (published.length) {
      // outbox mark: confirmed by the broker. A crash before this line republishes these rows,
      // which the consumers' inboxes absorb.
      await client.query(
        'update outbox set published_at = now(), attempts = attempts + 1 where id = any($1::bigint[])',
        [published],
      );
      this.#published += published.length;
    }
    if (failure) {
      const message = failure.err instanceof Error ? failure.err.message : String(failure.err);
      // outbox failure: counted and kept; the row is retried first, so order holds.
      await client.query(
        'update outbox set attempts = attempts + 1, last_error = $2 where id = $1',
        [failure.row.id, message],
      );
      this.#logger.warn(
        {
          outboxId: failure.row.id,
          messageId: failure.row.message_id,
          routingKey: failure.row.routing_key,
          err: message,
        },
        'outbox publish failed; will retry',
      );
      return 'failed';
    }
    return rows.length === this.#batchSize && published.length === rows.length ? 'full' : 'partial';
  }

  /**
   * Outbox lag for the alert: how old the oldest unpublished row is, read from the batch the relay
   * just claimed (no extra query). Only the active relay reports, so replicas do not disagree.
   */
  #reportLag(oldest: OutboxRow | undefined): void {
    const occurredAt = oldest ? Date.parse(oldest.payload.occurredAt) : NaN;
    const seconds = Number.isNaN(occurredAt) ? 0 : Math.max(0, (Date.now() - occurredAt) / 1000);
    outboxLag().set({ service: this.#database }, seconds);
  }

  async #publish(channel: ConfirmChannel, row: OutboxRow): Promise<void> {
    const message = row.payload;
    const occurredAt = Date.parse(message.occurredAt);
    // A command nobody consumes yet is a service that has not declared its queue: the broker
    // returns it (mandatory) and the relay retries instead of letting it vanish. Events with no
    // subscriber are fine.
    const mandatory = isCommandType(row.routing_key);
    this.#returned.delete(row.message_id);
    // The row's stored trace context is the parent: the publish joins the request that wrote it.
    await inMessageSpan(
      `${row.routing_key} publish`,
      'producer',
      row.headers ?? undefined,
      { 'messaging.system': 'rabbitmq', 'messaging.destination.name': row.exchange },
      (trace) =>
        publishConfirmed(
          channel,
          this.#amqp.name(row.exchange),
          row.routing_key,
          Buffer.from(JSON.stringify(message)),
          {
            persistent: true,
            mandatory,
            contentType: 'application/json',
            messageId: row.message_id,
            type: message.type,
            ...(Number.isNaN(occurredAt) ? {} : { timestamp: Math.floor(occurredAt / 1000) }),
            ...(message.correlationId ? { correlationId: message.correlationId } : {}),
            headers: { ...row.headers, ...trace, 'x-version': message.version },
          },
        ),
    );
    // RabbitMQ sends basic.return before the confirm of the same message.
    if (this.#returned.delete(row.message_id)) {
      throw new Error(
        `command ${row.routing_key} is unroutable: no queue is bound yet (is its service running?)`,
      );
    }
  }

  /** Once per channel: makes sure the exchanges exist (a publish to a missing one kills the channel) and listens for returns. */
  async #prepare(channel: ConfirmChannel): Promise<void> {
    if (this.#watchedChannels.has(channel)) return;
    await declareExchanges(channel, this.#amqp.prefix);
    this.#watchedChannels.add(channel);
    channel.on('return', (msg: { properties: { messageId?: string } }) => {
      if (msg.properties.messageId) this.#returned.add(msg.properties.messageId);
    });
  }

  async #cleanup(client: pg.Client): Promise<void> {
    if (this.#retentionMs === null || Date.now() - this.#lastCleanup < CLEANUP_EVERY_MS) return;
    this.#lastCleanup = Date.now();
    // outbox retention: published rows are history only; pending rows are never deleted.
    const { rowCount } = await client.query(
      'delete from outbox where published_at is not null and published_at < now() - make_interval(secs => $1)',
      [this.#retentionMs / 1000],
    );
    if (rowCount) this.#logger.info({ deleted: rowCount }, 'outbox: old published rows deleted');
  }

  #throwIfConnectionLost(): void {
    if (this.#lostConnection) throw this.#lostConnection;
  }

  #wake(reason: 'notified' | 'kicked'): void {
    if (reason === 'notified') this.#notified = true;
    else this.#kicked = true;
    this.#wakeWaiter?.(reason);
  }

  /** Sleeps up to `ms`; a kick (stop, broker back, connection lost) always wakes it, a NOTIFY only if `onNotify`. */
  #wait(ms: number, onNotify: boolean): Promise<void> {
    const due = () => this.#stopping || this.#kicked || (onNotify && this.#notified);
    if (due()) {
      this.#kicked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakeWaiter = undefined;
        this.#kicked = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wakeWaiter = (reason) => {
        if (reason === 'kicked' || onNotify) done();
      };
    });
  }
}
