import { DateTimeScalar } from '@airline/shared';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Booking } from './Booking.ts';
import { Payment } from './Payment.ts';
import { Query } from './Query.ts';
import { Refund } from './Refund.ts';

/** Every resolver of the payments subgraph. */
export const resolvers: Resolvers = {
  Query,
  Booking,
  Payment,
  Refund,
  DateTime: DateTimeScalar,
};
