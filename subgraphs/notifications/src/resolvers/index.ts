import { DateTimeScalar } from '@airline/shared';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Booking } from './Booking.ts';
import { Customer } from './Customer.ts';
import { Mutation } from './Mutation.ts';
import { Notification } from './Notification.ts';
import { Query } from './Query.ts';

/** Every resolver of the notifications subgraph. */
export const resolvers: Resolvers = {
  Query,
  Mutation,
  Customer,
  Booking,
  Notification,
  DateTime: DateTimeScalar,
};
