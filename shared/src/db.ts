import pg from 'pg';
import { MikroORM, type EntitySchema, type Constructor } from '@mikro-orm/postgresql';
import { Migrator, type Migration } from '@mikro-orm/migrations';
import type { Config, ServiceName } from './config.ts';
import { databaseName } from './config.ts';
import type { Logger } from './logger.ts';
import { watchPgPool } from './metrics/pg-pool-metrics.ts';

export { MikroORM } from '@mikro-orm/postgresql';
export type { EntityManager } from '@mikro-orm/postgresql';

/** What a service hands to `openDatabase`: its entities and its ordered, timestamped migrations. */
export interface DatabaseDefinition {
  service: ServiceName;
  // MikroORM's own signature: entity schemas of any shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entities: EntitySchema<any, any>[];
  migrations: Constructor<Migration>[];
  /** Pool size; search-heavy services split their pools (bulkhead) on top of this. */
  poolMax?: number;
}

/**
 * Bounds on every pooled connection: a dead server fails a request instead of hanging it, a
 * runaway statement is cancelled, and a transaction left open (a bug, a stalled process) cannot
 * hold its row locks for long.
 */
export const DATABASE_TIMEOUTS = {
  connectionTimeoutMillis: 5_000,
  statement_timeout: 15_000,
  idle_in_transaction_session_timeout: 30_000,
} as const;

const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

/** Creates the service's database when it is missing (safe when several processes race to do it). */
export async function ensureDatabase(config: Config, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${config.postgresUrl}/postgres` });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    await client.query(`CREATE DATABASE "${name}"`);
  } catch (err) {
    const code = (err as { code?: string }).code;
    // Two processes creating the same database: the loser sees one of these, and the database exists.
    if (code !== DUPLICATE_DATABASE && code !== UNIQUE_VIOLATION) throw err;
  } finally {
    await client.end();
  }
}

/** Opens the service's own database: creates it if missing, connects MikroORM and runs pending migrations. */
export async function openDatabase(
  config: Config,
  def: DatabaseDefinition,
  logger: Logger,
): Promise<MikroORM> {
  const dbName = databaseName(config, def.service);
  await ensureDatabase(config, dbName);
  const orm = await MikroORM.init({
    clientUrl: `${config.postgresUrl}/${dbName}`,
    entities: def.entities,
    extensions: [Migrator],
    migrations: {
      migrationsList: def.migrations.map((m) => ({ name: m.name, class: m })),
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    pool: { min: 0, max: def.poolMax ?? 10 },
    driverOptions: { ...DATABASE_TIMEOUTS },
    // Every request forks its own EntityManager; touching the global one is a bug.
    allowGlobalContext: false,
    debug: false,
  });
  try {
    await migrate(config, orm, dbName, logger);
  } catch (err) {
    await orm.close(true);
    throw err;
  }
  await watchPgPool(orm, dbName);
  return orm;
}

/**
 * Runs pending migrations while holding a PostgreSQL advisory lock on a connection of its own, so
 * two replicas starting at once never apply the same migration twice; a crash drops the
 * connection and with it the lock.
 */
async function migrate(
  config: Config,
  orm: MikroORM,
  dbName: string,
  logger: Logger,
): Promise<void> {
  const lock = new pg.Client({ connectionString: `${config.postgresUrl}/${dbName}` });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(727001)');
    const applied = await orm.migrator.up();
    if (applied.length)
      logger.info({ db: dbName, migrations: applied.map((m) => m.name) }, 'migrations applied');
  } finally {
    await lock.end();
  }
}
