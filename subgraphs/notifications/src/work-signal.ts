import pg from 'pg';
import type { Logger } from '@airline/shared';
import { WORK_NOTIFY_CHANNEL } from './migrations/Migration20261210000000_notifications.ts';

/** What the database announces: a request became due to compose, or a message to send. */
export type WorkKind = 'compose' | 'deliver';

/**
 * Listens for the database's NOTIFY (sent at commit by the triggers of the notifications
 * migration), so that work committed by any replica starts at once instead of at the next poll.
 * Reconnects with backoff when the connection drops; polling covers what it misses meanwhile.
 */
export class WorkSignal {
  readonly #url: string;
  readonly #logger: Logger;
  readonly #onWork: (kind: WorkKind) => void;
  #client: pg.Client | undefined;
  #stopping = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #backoffMs = 200;

  constructor(databaseUrl: string, logger: Logger, onWork: (kind: WorkKind) => void) {
    this.#url = databaseUrl;
    this.#logger = logger.child({ component: 'work-signal' });
    this.#onWork = onWork;
  }

  async start(): Promise<void> {
    await this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#retryTimer);
    await this.#client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.#url,
      application_name: 'notifications-signal',
      keepAlive: true,
    });
    this.#client = client;
    const lost = (err?: Error) => {
      if (this.#client !== client || this.#stopping) return;
      this.#client = undefined;
      this.#logger.warn({ err }, 'lost the wake-up connection; reconnecting');
      client.end().catch(() => undefined);
      this.#scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (n) => {
      if (n.payload === 'compose' || n.payload === 'deliver') this.#onWork(n.payload);
    });
    await client.connect();
    await client.query(`LISTEN "${WORK_NOTIFY_CHANNEL}"`);
    this.#backoffMs = 200;
  }

  #scheduleReconnect(): void {
    this.#retryTimer = setTimeout(() => {
      if (this.#stopping) return;
      this.#connect().catch((err: unknown) => {
        this.#logger.warn({ err }, 'wake-up connection failed; retrying');
        this.#client = undefined;
        this.#backoffMs = Math.min(this.#backoffMs * 2, 10_000);
        this.#scheduleReconnect();
      });
    }, this.#backoffMs);
  }
}
