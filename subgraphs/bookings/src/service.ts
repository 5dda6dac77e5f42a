import {
  SeatHolds,
  TokenService,
  createLogger,
  createRedis,
  dispatch,
  eventBindings,
  OutboxMessage,
  Migration20261125000000_outbox,
  openDatabase,
  readinessCheck,
  startServiceMessaging,
  startSubgraph,
  type Config,
  type RunningServer,
} from '@airline/shared';
import { Booking, BookingPassenger } from './booking/booking.entity.ts';
import { Bookings } from './booking/bookings.ts';
import { createBookingLoaders } from './booking/booking-loaders.ts';
import { FlightsClient, type FlightsPort } from './clients/flights-client.ts';
import { PaymentsClient, type PaymentsPort } from './clients/payments-client.ts';
import type { BookingsContext } from './context.ts';
import { Migration20261125000100_bookings } from './migrations/Migration20261125000100_bookings.ts';
import { resolvers } from './resolvers/index.ts';
import { BookingSaga } from './saga/booking-saga.ts';
import { HoldExpiry } from './saga/hold-expiry.ts';

/** Start-up options beyond configuration (tests pick ports, URLs and faster sweeps). */
export interface BookingsOptions {
  port?: number;
  flights?: FlightsPort;
  payments?: PaymentsPort;
  expirySweepMs?: number;
  paymentWindowSeconds?: number;
}

/** Opens the bookings database, starts the saga's consumers, hold expiry and the subgraph. */
export async function startBookings(
  config: Config,
  options: BookingsOptions = {},
): Promise<RunningServer> {
  const logger = createLogger(config, 'bookings');
  const orm = await openDatabase(
    config,
    {
      service: 'bookings',
      entities: [Booking, BookingPassenger, OutboxMessage],
      migrations: [Migration20261125000000_outbox, Migration20261125000100_bookings],
    },
    logger,
  );
  const redis = createRedis(config, 'bookings');
  const holds = new SeatHolds(redis);
  const saga = new BookingSaga(holds, logger);
  const messaging = await startServiceMessaging(config, logger, 'bookings', orm);
  await messaging.consume({
    queue: 'bookings.saga',
    bindings: eventBindings(
      'PaymentCompleted',
      'PaymentFailed',
      'SeatsConfirmed',
      'SeatsRejected',
      'FlightCancelled',
    ),
    handler: dispatch({
      PaymentCompleted: (e, { em }) => saga.paymentCompleted(em, e),
      PaymentFailed: (e, { em }) => saga.paymentFailed(em, e),
      SeatsConfirmed: (e, { em }) => saga.seatsConfirmed(em, e),
      SeatsRejected: (e, { em }) => saga.seatsRejected(em, e),
      FlightCancelled: (e, { em }) => saga.flightCancelled(em, e),
    }),
  });
  const expiry = new HoldExpiry(orm, saga, logger, options.expirySweepMs ?? 1000);
  expiry.start();

  const bookings = new Bookings({
    holds,
    saga,
    flights: options.flights ?? new FlightsClient(config.internalUrls.flights),
    payments: options.payments ?? new PaymentsClient(config.internalUrls.payments),
    holdTtlSeconds: config.seatHoldTtlSeconds,
    paymentWindowSeconds: options.paymentWindowSeconds ?? 15 * 60,
  });

  return startSubgraph<BookingsContext>({
    name: 'bookings',
    schemaFile: new URL('../schema.graphql', import.meta.url),
    resolvers,
    config,
    logger,
    orm,
    tokens: new TokenService(config.jwt),
    port: options.port ?? config.ports.bookings,
    buildContext: (base) => ({ ...base, bookings, loaders: createBookingLoaders(base.em) }),
    readiness: [
      readinessCheck.postgres(orm),
      readinessCheck.redis(redis),
      readinessCheck.rabbitmq(messaging.amqp),
    ],
    onStop: async () => {
      await expiry.stop();
      await messaging.stop();
      redis.disconnect();
      await orm.close();
    },
  });
}
