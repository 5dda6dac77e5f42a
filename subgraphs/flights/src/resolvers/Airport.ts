import type { AirportResolvers } from '../__generated__/resolvers-types.ts';

/** The Airport entity: reference data plus the destinations flown from it. */
export const Airport: AirportResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.airportByCode.load(ref.code),
  destinations: async (airport, _a, ctx) => {
    const codes = await ctx.loaders.destinationCodes.load(airport.code);
    const airports = await ctx.loaders.airportByCode.loadMany(codes);
    return airports.flatMap((a) => (a && !(a instanceof Error) ? [a] : []));
  },
};
