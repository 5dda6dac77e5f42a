import {
  SeatHolds,
  ServiceTokens,
  TokenService,
  createLogger,
  createRedis,
  LivePublisher,
  LiveSubscriber,
  openDatabase,
  RateLimit,
  readinessCheck,
  startServiceMessaging,
  startSubgraph,
  type Config,
  type Logger,
  type Redis,
  type RunningServer,
} from '@airline/shared';
import { database } from './database.ts';
import { BookingLifecycle } from './booking/booking-lifecycle.ts';
import { BookingLimits } from './booking/booking-limits.ts';
import { Bookings } from './booking/bookings.ts';
import { createBookingLoaders } from './booking/booking-loaders.ts';
import { FlightsClient, type FlightsPort } from './clients/flights-client.ts';
import { PaymentsClient, type PaymentsPort } from './clients/payments-client.ts';
import type { BookingsContext } from './context.ts';
import { startSagaConsumers } from './messaging/consumers.ts';
import { resolvers } from './resolvers/index.ts';
import { BookingLive } from './live/booking-live.ts';
import { startLivePublishing } from './live/live-publishing.ts';
import { HoldExpiry } from './booking/hold-expiry.ts';
import { bookingSagaHandlers } from './saga/booking-saga.ts';
import { sagaReconciler } from './saga/reconciler.ts';

/** Start-up options beyond configuration (tests pick ports, URLs and faster sweeps). */
export interface BookingsOptions {
  port?: number;
  flights?: FlightsPort;
  payments?: PaymentsPort;
  expirySweepMs?: number;
  paymentWindowSeconds?: number;
  /** Draws record locators (tests make two collide); random otherwise. */
  newReference?: () => string;
  /** Where the service logs (tests read its security events); a JSON logger on stdout otherwise. */
  logger?: Logger;
}

/** Opens the bookings database, starts the saga's consumers, hold expiry and the subgraph. */
export async function startBookings(
  config: Config,
  options: BookingsOptions = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config, 'bookings');
  const orm = await openDatabase(config, database, logger);
  const redis = createRedis(config, 'bookings');
  const holds = new SeatHolds(redis);
  const lifecycle = new BookingLifecycle(holds, logger);
  const messaging = await startServiceMessaging(config, logger, 'bookings', orm);
  // Subscriptions: status events become Redis messages; every replica listens.
  await startLivePublishing(messaging, new LivePublisher(redis, config.redisPrefix));
  const liveSubscriber = new LiveSubscriber(
    config.redisUrl,
    config.redisPrefix,
    logger,
    'bookings',
  );
  const live = new BookingLive(liveSubscriber);
  await startSagaConsumers(messaging, bookingSagaHandlers(lifecycle, logger));
  const expiry = new HoldExpiry(orm, lifecycle, logger, options.expirySweepMs ?? 1000);
  expiry.start();

  const serviceTokens = new ServiceTokens(config.serviceSecret, 'bookings');
  const bookings = new Bookings({
    holds,
    lifecycle,
    limits: bookingLimits(config, redis),
    flights: options.flights ?? new FlightsClient(config.internalUrls.flights, serviceTokens),
    payments: options.payments ?? new PaymentsClient(config.internalUrls.payments, serviceTokens),
    holdTtlSeconds: config.seatHoldTtlSeconds,
    paymentWindowSeconds: options.paymentWindowSeconds ?? 15 * 60,
    ...(options.newReference ? { newReference: options.newReference } : {}),
  });
  // Sagas that stopped moving are settled from payments' and flights' records.
  const reconciler = sagaReconciler(config, { orm, lifecycle, logger, serviceTokens });
  reconciler.start();

  return startSubgraph<BookingsContext>({
    name: 'bookings',
    schemaFile: new URL('../schema.graphql', import.meta.url),
    resolvers,
    config,
    logger,
    orm,
    tokens: new TokenService(config.jwt),
    port: options.port ?? config.ports.bookings,
    buildContext: (base) => ({ ...base, bookings, live, loaders: createBookingLoaders(base.em) }),
    readiness: [
      readinessCheck.postgres(orm),
      readinessCheck.redis(redis),
      readinessCheck.rabbitmq(messaging.amqp),
    ],
    onStop: async () => {
      await reconciler.stop();
      await expiry.stop();
      await messaging.stop();
      liveSubscriber.close();
      redis.disconnect();
      await orm.close();
    },
  });
}

/** The limits of createBooking from `config.limits`, throttles shared by replicas through Redis. */
function bookingLimits(config: Config, redis: Redis): BookingLimits {
  const { limits } = config;
  return new BookingLimits({
    maxLiveHoldsPerCustomer: limits.maxLiveHoldsPerCustomer,
    maxSeatsPerBooking: limits.maxSeatsPerBooking,
    perClientAddress: new RateLimit(redis, {
      name: 'create-booking:ip',
      points: limits.bookingsPerIpPerMinute,
      windowSeconds: 60,
      message: 'Too many bookings from your network',
    }),
    perCustomer: new RateLimit(redis, {
      name: 'create-booking:customer',
      points: limits.bookingsPerCustomerPerMinute,
      windowSeconds: 60,
      message: 'Too many bookings from your account',
    }),
  });
}
