import { badInput, notFound, type LiveMessage } from '@airline/shared';
import type { FlightsContext } from '../context.ts';
import type {
  SeatMapUpdateResolvers,
  SubscriptionResolvers,
} from '../__generated__/resolvers-types.ts';
import { isUuid } from '../sql.ts';

/** The argument both subscriptions take. */
interface FlightArgs {
  flightId: string;
}

async function existingFlight(ctx: FlightsContext, id: string) {
  if (!isUuid(id)) throw badInput('flightId: must be a flight id (UUID)', 'flightId');
  const flight = await ctx.loaders.flightById.load(id);
  if (!flight) throw notFound('Flight', id);
  return flight;
}

/**
 * Live flights, for everyone (the fields are public): each stream starts with the state now (the
 * whole seat map, the flight), then one message per change.
 */
export const Subscription: SubscriptionResolvers = {
  seatMapChanged: {
    subscribe: async (_p, { flightId }, ctx) => {
      const flight = await existingFlight(ctx, flightId);
      return ctx.live.seatMap(flightId, async () => {
        const map = await ctx.loaders.seatMap.load(flight);
        return Object.fromEntries(map.seats.map((seat) => [seat.number, seat.status]));
      });
    },
    resolve: (message: LiveMessage, { flightId }: FlightArgs) => ({ flightId, message }),
  },
  flightStatusChanged: {
    subscribe: async (_p, { flightId }, ctx) => {
      const flight = await existingFlight(ctx, flightId);
      return ctx.live.flightStatus(flightId, flight.status === 'CANCELLED');
    },
    // Each event runs with a fresh context: the flight as committed by the change.
    resolve: (_message: LiveMessage, { flightId }: FlightArgs, ctx: FlightsContext) =>
      existingFlight(ctx, flightId),
  },
};

/** One seat map message: the seats that changed (all of them first), each as on the map now. */
export const SeatMapUpdate: SeatMapUpdateResolvers = {
  flight: ({ flightId }, _a, ctx) => existingFlight(ctx, flightId),
  seats: async ({ flightId, message }, _a, ctx) => {
    const changed = message.payload as Record<string, string>;
    const map = await ctx.loaders.seatMap.load(await existingFlight(ctx, flightId));
    // The status is the message's: it is the one this version stands for.
    return map.seats
      .filter((seat) => seat.number in changed)
      .map((seat) => ({ ...seat, status: changed[seat.number] as typeof seat.status }));
  },
  version: ({ message }) => message.version,
  occurredAt: ({ message }) => message.occurredAt,
};
