import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Envelope } from './events.ts';

/**
 * What a handler of a database-backed service receives: from `PostgresInbox`, the EntityManager
 * of the transaction that records the message; from `NoInbox`, a fresh one of its own.
 */
export interface TransactionContext {
  em: EntityManager;
}

/**
 * Remembers which messages a consumer has applied, so a redelivered message is applied once.
 * `Ctx` is what the inbox hands the handler (a transactional EntityManager for PostgreSQL).
 */
export interface Inbox<Ctx extends object> {
  /** Runs `work` unless `consumer` already applied this message; says which happened. */
  once(
    consumer: string,
    message: Pick<Envelope, 'id' | 'type'>,
    work: (ctx: Ctx) => Promise<void>,
  ): Promise<'applied' | 'duplicate'>;
}

/**
 * The inbox of a service with a database: the `inbox` row is inserted in the same transaction as
 * the handler's changes, so either both commit or neither does, and a retry after a failure
 * applies the message again from scratch.
 */
export class PostgresInbox implements Inbox<TransactionContext> {
  readonly #orm: Pick<MikroORM, 'em'>;

  constructor(orm: Pick<MikroORM, 'em'>) {
    this.#orm = orm;
  }

  once(
    consumer: string,
    message: Pick<Envelope, 'id' | 'type'>,
    work: (ctx: TransactionContext) => Promise<void>,
  ): Promise<'applied' | 'duplicate'> {
    return this.#orm.em.fork().transactional(async (em) => {
      // inbox insert: inside the handler's transaction. A concurrent duplicate blocks on the
      // primary key until this transaction ends, then sees the conflict: never applied twice.
      const inserted = await em.execute<{ message_id: string }[]>(
        `insert into inbox (consumer, message_id, message_type) values (?, ?, ?)
         on conflict (consumer, message_id) do nothing
         returning message_id`,
        [consumer, message.id, message.type],
      );
      if (inserted.length === 0) return 'duplicate';
      await work({ em });
      return 'applied';
    });
  }
}

/**
 * No record at all, for handlers that are idempotent by themselves (the live publishers: a
 * redelivered event publishes a version or a state Redis already has, which sends nothing). It
 * saves the transaction, the inbox row and the commit's disk sync per message.
 */
export class NoInbox implements Inbox<TransactionContext> {
  readonly #orm: Pick<MikroORM, 'em'>;

  constructor(orm: Pick<MikroORM, 'em'>) {
    this.#orm = orm;
  }

  async once(
    _consumer: string,
    _message: Pick<Envelope, 'id' | 'type'>,
    work: (ctx: TransactionContext) => Promise<void>,
  ): Promise<'applied' | 'duplicate'> {
    await work({ em: this.#orm.em.fork() });
    return 'applied';
  }
}

/** Tuning of `RedisInbox`. */
export interface RedisInboxOptions {
  /** How long an applied message id is remembered (redeliveries come within minutes; default 7 days). */
  ttlSeconds?: number;
  /** How long a message being handled is reserved; after a crash it can be retried once this passes. */
  leaseMs?: number;
}

/** Thrown when another delivery of the same message is being handled right now; the message is retried later. */
export class InboxBusyError extends Error {
  override name = 'InboxBusyError';
}

/**
 * The inbox of a service without a database (notifications): a message id is reserved with
 * SET NX under a short lease while the handler runs and marked done with a long TTL after it
 * succeeds. A crash mid-handler leaves only the lease, so the message is applied again later:
 * at least once, never twice once it has succeeded.
 */
export class RedisInbox implements Inbox<object> {
  readonly #redis: Redis;
  readonly #ttlSeconds: number;
  readonly #leaseMs: number;

  constructor(redis: Redis, options: RedisInboxOptions = {}) {
    this.#redis = redis;
    this.#ttlSeconds = options.ttlSeconds ?? 7 * 24 * 60 * 60;
    this.#leaseMs = options.leaseMs ?? 60_000;
  }

  async once(
    consumer: string,
    message: Pick<Envelope, 'id' | 'type'>,
    work: (ctx: object) => Promise<void>,
  ): Promise<'applied' | 'duplicate'> {
    const key = `inbox:${consumer}:${message.id}`;
    // inbox reserve: only one delivery of a message may run the handler at a time.
    const reserved = await this.#redis.set(key, 'processing', 'PX', this.#leaseMs, 'NX');
    if (reserved !== 'OK') {
      if ((await this.#redis.get(key)) === 'done') return 'duplicate';
      throw new InboxBusyError(`message ${message.id} is being handled by another delivery`);
    }
    try {
      await work({});
    } catch (err) {
      await this.#redis.del(key);
      throw err;
    }
    // inbox done: remembered long after any redelivery could still arrive.
    await this.#redis.set(key, 'done', 'EX', this.#ttlSeconds);
    return 'applied';
  }
}
