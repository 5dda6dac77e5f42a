import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { Gauge } from 'prom-client';
import { metricsRegistry } from './registry.ts';

// Read from the pools when scraped: pg keeps the counts, so nothing has to poll between scrapes.
const pools = new Map<string, pg.Pool>();

/** Reports a MikroORM connection pool as `pg_pool_connections{database,state}` on `/metrics`. */
export async function watchPgPool(orm: MikroORM, database: string): Promise<void> {
  const pool = await orm.em.getConnection().getNativeClient();
  pools.set(database, pool);
  if (metricsRegistry.getSingleMetric('pg_pool_connections')) return;
  new Gauge({
    name: 'pg_pool_connections',
    help: 'PostgreSQL pool connections by database and state (total, idle, waiting requests)',
    labelNames: ['database', 'state'],
    registers: [metricsRegistry],
    collect() {
      this.reset();
      for (const [name, p] of pools) {
        this.set({ database: name, state: 'total' }, p.totalCount);
        this.set({ database: name, state: 'idle' }, p.idleCount);
        this.set({ database: name, state: 'waiting' }, p.waitingCount);
      }
    },
  });
}
