import { DateScalar, DateTimeScalar } from '@airline/shared';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Customer } from './Customer.ts';
import { Mutation } from './Mutation.ts';
import { Query } from './Query.ts';

/** Every resolver of the customers subgraph. */
export const resolvers: Resolvers = {
  Query,
  Mutation,
  Customer,
  Date: DateScalar,
  DateTime: DateTimeScalar,
};
