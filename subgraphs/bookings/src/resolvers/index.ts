import { DateScalar, DateTimeScalar } from '@airline/shared';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { BookedPassenger, Booking } from './Booking.ts';
import { Customer } from './Customer.ts';
import { Mutation } from './Mutation.ts';
import { Query } from './Query.ts';
import { Subscription } from './Subscription.ts';

/** Every resolver of the bookings subgraph. */
export const resolvers: Resolvers = {
  Query,
  Mutation,
  Subscription,
  Booking,
  BookedPassenger,
  Customer,
  Date: DateScalar,
  DateTime: DateTimeScalar,
};
