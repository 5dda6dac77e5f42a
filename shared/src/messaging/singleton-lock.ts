import pg from 'pg';

/** The advisory lock keys of the project (db.ts's migration lock is 727001, the relay's 727002). */
export const ADVISORY_LOCKS = { sagaReconciler: 727_003 } as const;

/**
 * Lets one replica at a time run a periodic job (a sweep that calls other services, so row locks
 * alone cannot share it out): a PostgreSQL session-level advisory lock taken with try-lock on a
 * connection of its own. The server releases it when the session ends, so a replica that dies
 * mid-job hands the job to the next one that tries, and a lost connection is replaced on the
 * next attempt.
 */
export class SingletonLock {
  readonly #databaseUrl: string;
  readonly #key: number;
  #client: pg.Client | undefined;

  constructor(databaseUrl: string, key: number) {
    this.#databaseUrl = databaseUrl;
    this.#key = key;
  }

  /** Runs `job` if no other replica is running it now; false when another one is. */
  async runExclusive(job: () => Promise<void>): Promise<boolean> {
    const client = await this.#connection();
    const { rows } = await client.query<{ locked: boolean }>(
      'select pg_try_advisory_lock($1) as locked',
      [this.#key],
    );
    if (!rows[0]?.locked) return false;
    try {
      await job();
    } finally {
      // A dead connection released the lock already.
      await client.query('select pg_advisory_unlock($1)', [this.#key]).catch(() => undefined);
    }
    return true;
  }

  /** Closes its connection (releasing the lock if held). */
  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connection(): Promise<pg.Client> {
    if (this.#client) return this.#client;
    const client = new pg.Client({
      connectionString: this.#databaseUrl,
      application_name: 'singleton-lock',
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
      // As the relay's: a vanished holder's lock is released after ~15 s of silence.
      options: '-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=5',
    });
    const forget = () => {
      if (this.#client === client) this.#client = undefined;
    };
    client.on('error', forget);
    client.on('end', forget);
    this.#client = client;
    try {
      await client.connect();
    } catch (err) {
      forget();
      throw err;
    }
    return client;
  }
}
