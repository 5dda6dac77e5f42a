import type { CodegenConfig } from '@graphql-codegen/cli';
import { clientSchemaSdl } from './web/codegen/client-schema.ts';

// Resolver types per subgraph, generated from its schema file, so a resolver that drifts from
// the contract fails the type check instead of a client.
const subgraphs: Record<string, { context: string; mappers?: Record<string, string> }> = {
  customers: {
    context: '../context.ts#CustomersContext',
    mappers: {
      Customer: '../customer/customer.entity.ts#CustomerEntity',
      PassengerProfile: '../customer/customer.entity.ts#PassengerProfileEntity',
    },
  },
  flights: {
    context: '../context.ts#FlightsContext',
    mappers: {
      Flight: '../flight/flight-record.ts#FlightRecord',
      Airport: '../airport/airport.entity.ts#AirportEntity',
      Aircraft: '../domain/aircraft.ts#AircraftType',
      Seat: '../domain/seat-map.ts#SeatView',
      SeatMapUpdate: '../live/flight-live.ts#SeatMapEvent',
    },
  },
  payments: {
    context: '../context.ts#PaymentsContext',
    mappers: {
      Booking: '../payment/access.ts#BookingRef',
      Payment: '../payment/payment.entity.ts#PaymentEntity',
      Refund: '../payment/payment.entity.ts#RefundEntity',
      PaymentAttempt: '../payment/payment.entity.ts#PaymentAttemptEntity',
    },
  },
  notifications: {
    context: '../context.ts#NotificationsContext',
    mappers: {
      Notification: '../notification/notification.entity.ts#NotificationEntity',
      Customer: '../context.ts#EntityRef',
      Booking: '../context.ts#EntityRef',
      ScheduledNotification: '../notification/notification-loaders.ts#Scheduled',
      NotificationPreferences: '../notification/preferences.ts#Preferences',
    },
  },
  bookings: {
    context: '../context.ts#BookingsContext',
    mappers: {
      Booking: '../booking/booking.entity.ts#BookingEntity',
      BookedPassenger: '../booking/booking.entity.ts#BookingPassengerEntity',
      Customer: '../context.ts#CustomerRef',
    },
  },
};

const config: CodegenConfig = {
  overwrite: true,
  silent: true,
  generates: {
    ...Object.fromEntries(
      Object.entries(subgraphs).map(([name, { context, mappers }]) => [
        `subgraphs/${name}/src/__generated__/resolvers-types.ts`,
        {
          schema: `subgraphs/${name}/schema.graphql`,
          plugins: ['typescript', 'typescript-resolvers'],
          config: {
            federation: true,
            useTypeImports: true,
            enumsAsTypes: true,
            contextType: context,
            mappers: mappers ?? {},
            scalars: { Date: 'string', DateTime: 'Date | string', ID: 'string' },
            resolverTypeWrapperSignature: 'T | Promise<T>',
            useIndexSignature: false,
            avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
          },
        },
      ]),
    ),
    // The web app's operations (`graphql(...)` in web/src), typed against the composed
    // supergraph's API schema, so an operation that drifts from the contract fails the type check.
    'web/src/__generated__/': {
      schema: clientSchemaSdl(),
      documents: ['web/src/**/*.{ts,tsx}', '!web/src/__generated__/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Date: 'string', DateTime: 'string', ID: 'string' },
        defaultScalarType: 'unknown',
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
      },
    },
  },
};

export default config;
