import { DateScalar, DateTimeScalar } from '@airline/shared';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Airport } from './Airport.ts';
import { Flight } from './Flight.ts';
import { Mutation } from './Mutation.ts';
import { Query } from './Query.ts';
import { Seat } from './Seat.ts';
import { SeatMapUpdate, Subscription } from './Subscription.ts';

/** Every resolver of the flights subgraph. */
export const resolvers: Resolvers = {
  Query,
  Mutation,
  Subscription,
  SeatMapUpdate,
  Flight,
  Airport,
  Seat,
  Date: DateScalar,
  DateTime: DateTimeScalar,
};
