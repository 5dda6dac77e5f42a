import { badInput } from '@airline/shared';
import type { QueryResolvers } from '../__generated__/resolvers-types.ts';
import { isUuid } from '../sql.ts';

/** Reads of the flights subgraph. */
export const Query: QueryResolvers = {
  airports: (_p, _args, ctx) => ctx.loaders.allAirports(),
  airport: (_p, { code }, ctx) =>
    code.length > 3 ? null : ctx.loaders.airportByCode.load(code.trim().toUpperCase()),
  searchFlights: async (_p, { input }, ctx) => {
    const ids = await ctx.search.search(input, ctx.now);
    const flights = await ctx.loaders.flightById.loadMany(ids);
    return flights.flatMap((f) => (f && !(f instanceof Error) ? [f] : []));
  },
  flight: (_p, { id }, ctx) => {
    if (!isUuid(id)) throw badInput('id: must be a flight id (UUID)', 'id');
    return ctx.loaders.flightById.load(id);
  },
};
