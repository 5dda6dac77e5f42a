import { MikroORM } from '@mikro-orm/postgresql';
import {
  SeatHolds,
  ServiceTokens,
  TokenService,
  createLogger,
  createRedis,
  LivePublisher,
  LiveSubscriber,
  databaseName,
  openDatabase,
  readinessCheck,
  startServiceMessaging,
  startSubgraph,
  type Config,
  type RunningServer,
} from '@airline/shared';
import { database } from './database.ts';
import type { FlightsContext } from './context.ts';
import { createFlightLoaders } from './flight/flight-loaders.ts';
import { FlightOperations } from './flight/flight-operations.ts';
import { internalRoutes } from './http/internal-routes.ts';
import { DEFAULT_SEARCH_LIMITS, searchGate, type SearchLimits } from './http/search-gate.ts';
import { startInventoryConsumers } from './messaging/consumers.ts';
import { FlightLive } from './live/flight-live.ts';
import { startLivePublishing } from './live/live-publishing.ts';
import { resolvers } from './resolvers/index.ts';
import { FlightSearch } from './search/flight-search.ts';
import { SearchCache } from './search/search-cache.ts';
import { SearchProjector } from './search/search-projector.ts';
import { syncReferenceData } from './seeding/reference-data.ts';
import { seedSchedule } from './seeding/schedule-seeder.ts';

/** Start-up options beyond configuration (tests pick port 0, fewer days, other limits). */
export interface FlightsOptions {
  port?: number;
  /** Days of schedule seeded from today (UTC) into an empty flight table; 0 seeds nothing. */
  seedDays?: number;
  /** Lifetime of a cached search; 0 turns the cache off. */
  searchCacheTtlSeconds?: number;
  searchLimits?: SearchLimits;
  /** Connections of the write side (booking path, agent changes) and of the read side (search, seat maps). */
  pools?: { write: number; read: number };
  /** Sees every SQL statement of the read side (tests count queries with it). */
  onReadQuery?: (sql: string) => void;
  now?: () => Date;
}

/** Default lifetime of a cached search: short, and invalidated on every change anyway. */
export const SEARCH_CACHE_TTL_SECONDS = 30;

/**
 * Opens the flights database (migrating it, mirroring reference data, seeding an empty
 * schedule), rebuilds the search read model and serves the subgraph with its consumers, outbox
 * relay and internal endpoints. The bulkhead between search and the booking path: search and
 * seat maps use the read pool, the booking path and agent changes the write pool, and search
 * operations run in a few slots only (http/search-gate.ts).
 */
export async function startFlights(
  config: Config,
  options: FlightsOptions = {},
): Promise<RunningServer> {
  const logger = createLogger(config, 'flights');
  const now = options.now ?? (() => new Date());
  const pools = options.pools ?? { write: 10, read: 5 };
  const closers: (() => Promise<void> | void)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        logger.warn({ err }, 'flights: error while stopping');
      }
    }
  };

  try {
    const writer = await openDatabase(config, { ...database, poolMax: pools.write }, logger);
    closers.push(() => writer.close());
    const reader = await openReadSide(config, pools.read, options.onReadQuery);
    closers.push(() => reader.close());
    const redis = createRedis(config, 'flights');
    closers.push(() => redis.disconnect());
    const holds = new SeatHolds(redis);

    await syncReferenceData(writer.em.fork());
    const seeded = await seedSchedule(writer.em.fork(), {
      startDate: now().toISOString().slice(0, 10),
      days: options.seedDays ?? 0,
    });
    if (seeded.created)
      logger.info({ flights: seeded.created, ms: seeded.elapsedMs }, 'schedule seeded');

    const cache = new SearchCache(redis, options.searchCacheTtlSeconds ?? SEARCH_CACHE_TTL_SECONDS);
    const projector = new SearchProjector(reader, cache, logger);
    closers.push(() => projector.stop());
    const projected = await projector.rebuild();
    logger.info({ flights: projected }, 'search read model rebuilt');

    projector.start();
    // Consumers, then the relay, then the connection stop together (before the projector).
    const messaging = await startServiceMessaging(config, logger, 'flights', writer);
    closers.push(() => messaging.stop());
    await startInventoryConsumers(messaging, now);
    // Subscriptions: seat and flight events become Redis messages; every replica listens.
    await startLivePublishing(messaging, new LivePublisher(redis, config.redisPrefix), holds);
    const liveSubscriber = new LiveSubscriber(
      config.redisUrl,
      config.redisPrefix,
      logger,
      'flights',
    );
    closers.push(() => liveSubscriber.close());
    const live = new FlightLive(liveSubscriber, redis);

    const search = new FlightSearch(reader, cache, holds);
    const operations = new FlightOperations(projector, now);
    const tokens = new TokenService(config.jwt);
    return await startSubgraph<FlightsContext>({
      name: 'flights',
      schemaFile: new URL('../schema.graphql', import.meta.url),
      resolvers,
      config,
      logger,
      orm: writer,
      tokens,
      port: options.port ?? config.ports.flights,
      buildContext: (base) => {
        const at = now();
        return {
          ...base,
          loaders: createFlightLoaders(reader.em.fork(), holds, at),
          search,
          operations,
          now: at,
          live,
        };
      },
      extraRoutes: (app) => {
        searchGate(options.searchLimits ?? DEFAULT_SEARCH_LIMITS)(app);
        internalRoutes({
          orm: writer,
          holds,
          serviceTokens: new ServiceTokens(config.serviceSecret, 'flights'),
          logger,
          now,
        })(app);
      },
      readiness: [
        // Both pools: the booking path's and search's.
        {
          name: 'postgres',
          check: async () => {
            await readinessCheck.postgres(writer).check();
            await readinessCheck.postgres(reader).check();
          },
        },
        readinessCheck.redis(redis),
        readinessCheck.rabbitmq(messaging.amqp),
      ],
      onStop: closeAll,
    });
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** The read side's own MikroORM and pool on the same database (already migrated by the writer). */
async function openReadSide(
  config: Config,
  poolMax: number,
  onQuery: ((sql: string) => void) | undefined,
): Promise<MikroORM> {
  return MikroORM.init({
    clientUrl: `${config.postgresUrl}/${databaseName(config, 'flights')}`,
    entities: database.entities,
    pool: { min: 0, max: poolMax },
    allowGlobalContext: false,
    debug: false,
    onQuery: (sql) => {
      onQuery?.(sql);
      return sql;
    },
  });
}
