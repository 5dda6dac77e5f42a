// Leftovers of test runs that did not clean up after themselves (a crashed or killed suite): their
// databases, Redis keys, queues and exchanges. Other runs may be going on at the same time on the
// same servers (other engineers, the other jest worker), so a run's resources are removed only
// when nothing uses them any more: no connection to any of its databases, which are older than
// `minAgeMs`, no consumer on any of its queues, and for a run without databases, Redis keys left
// untouched for `minAgeMs`.
import amqp from 'amqplib';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { Config } from '@airline/shared';
import { listExchanges, listQueues } from './broker-inventory.ts';

// The name patterns of test runs, by family: testConfig's and the messaging testkit's runs
// (`t_<id>_<service>`, `msgtest_<id>_<service>`, `test:<id>:`, `test.<id>.`) and chaos runs
// (`chaos_<id>_<service>`, `chaos:<id>:`, `chaos.<id>.`).
const FAMILIES = [
  {
    family: 'test',
    database: /^(?:t|msgtest)_((?:[a-z0-9]{1,12}_)?[0-9a-f]{8})_[a-z]+$/,
    key: /^test:([a-z0-9]{1,12}_[0-9a-f]{8}|[0-9a-f]{8}):/,
    broker: /^test\.([a-z0-9]{1,12}_[0-9a-f]{8}|[0-9a-f]{8})\./,
  },
  {
    family: 'chaos',
    database: /^chaos_([a-z0-9]{0,10}_[0-9a-f]{6})_[a-z]+$/,
    key: /^chaos:([a-z0-9]{0,10}_[0-9a-f]{6}):/,
    broker: /^chaos\.([a-z0-9]{0,10}_[0-9a-f]{6})\./,
  },
] as const;

type Kind = 'database' | 'key' | 'broker';

/** The run a resource name belongs to (`test/<id>`), if it is a test run's. */
function runOf(kind: Kind, name: string): string | undefined {
  for (const f of FAMILIES) {
    const match = f[kind].exec(name);
    if (match) return `${f.family}/${match[1]}`;
  }
  return undefined;
}

/** What was removed. */
export interface LeftoverReport {
  databases: string[];
  keys: number;
  queues: string[];
  exchanges: string[];
}

interface DatabaseRow {
  datname: string;
  connections: string;
  age_seconds: number | null;
}

async function databases(client: pg.Client): Promise<DatabaseRow[]> {
  const base = `select d.datname,
                       (select count(*) from pg_stat_activity a where a.datname = d.datname) as connections,
                       %AGE% as age_seconds
                  from pg_database d
                 where d.datname ~ '^(t|msgtest|chaos)_'`;
  try {
    // The creation time of a database is its PG_VERSION file's (superusers only).
    return (
      await client.query<DatabaseRow>(
        base.replace(
          '%AGE%',
          `extract(epoch from now() - (pg_stat_file('base/' || d.oid || '/PG_VERSION')).modification)::float8`,
        ),
      )
    ).rows;
  } catch {
    // Without the age a database is never old enough: nothing is dropped.
    return (await client.query<DatabaseRow>(base.replace('%AGE%', 'null'))).rows;
  }
}

/** Finds and removes the leftovers of test runs. */
export async function removeLeftovers(
  config: Config,
  minAgeMs: number,
  { dryRun = false } = {},
): Promise<LeftoverReport> {
  const report: LeftoverReport = { databases: [], keys: 0, queues: [], exchanges: [] };
  const client = new pg.Client({ connectionString: `${config.postgresUrl}/postgres` });
  await client.connect();
  try {
    // Runs with databases: in use if any of them has a connection or is too young to tell.
    const byRun = new Map<string, DatabaseRow[]>();
    for (const row of await databases(client)) {
      const run = runOf('database', row.datname);
      if (run) byRun.set(run, [...(byRun.get(run) ?? []), row]);
    }
    const live = new Set<string>();
    const dead = new Set<string>();
    for (const [run, rows] of byRun) {
      const idle = rows.every(
        (r) => r.connections === '0' && r.age_seconds !== null && r.age_seconds * 1000 >= minAgeMs,
      );
      (idle ? dead : live).add(run);
    }
    for (const run of dead) {
      for (const row of byRun.get(run)!) {
        if (!dryRun) await client.query(`drop database if exists "${row.datname}" with (force)`);
        report.databases.push(row.datname);
      }
    }

    report.keys = await removeKeys(config, live, dead, minAgeMs, dryRun);

    const queues = (await listQueues()) ?? [];
    const exchanges = (await listExchanges()) ?? [];
    const busy = new Set(queues.filter((q) => q.consumers > 0).map((q) => runOf('broker', q.name)));
    const removable = (name: string) => {
      const run = runOf('broker', name);
      return run !== undefined && !live.has(run) && !busy.has(run);
    };
    const staleQueues = queues.map((q) => q.name).filter(removable);
    const staleExchanges = exchanges.filter(removable);
    if (!dryRun && (staleQueues.length || staleExchanges.length)) {
      const connection = await amqp.connect(config.amqpUrl);
      try {
        const channel = await connection.createChannel();
        for (const name of staleQueues) await channel.deleteQueue(name);
        for (const name of staleExchanges) await channel.deleteExchange(name);
        await channel.close();
      } finally {
        await connection.close();
      }
    }
    report.queues = staleQueues;
    report.exchanges = staleExchanges;
  } finally {
    await client.end();
  }
  return report;
}

/** Deletes the keys of dead runs, and of runs without databases whose keys all sat idle long enough. */
async function removeKeys(
  config: Config,
  live: Set<string>,
  dead: Set<string>,
  minAgeMs: number,
  dryRun: boolean,
): Promise<number> {
  const redis = new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
  try {
    const byRun = new Map<string, string[]>();
    for (const pattern of ['test:*', 'chaos:*']) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) {
          const run = runOf('key', key);
          if (run) byRun.set(run, [...(byRun.get(run) ?? []), key]);
        }
      } while (cursor !== '0');
    }
    let removed = 0;
    for (const [run, keys] of byRun) {
      if (live.has(run)) continue;
      if (!dead.has(run)) {
        const idle = await Promise.all(keys.map((k) => redis.object('IDLETIME', k)));
        if (idle.some((seconds) => Number(seconds) * 1000 < minAgeMs)) continue;
      }
      if (dryRun) removed += keys.length;
      else
        for (let i = 0; i < keys.length; i += 500)
          removed += await redis.unlink(...keys.slice(i, i + 500));
    }
    return removed;
  } finally {
    redis.disconnect();
  }
}
