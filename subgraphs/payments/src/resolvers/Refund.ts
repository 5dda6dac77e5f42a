import type { RefundResolvers } from '../__generated__/resolvers-types.ts';
import { toMoney } from '@airline/shared';

/** A refund of a payment. */
export const Refund: RefundResolvers = {
  amount: (refund) => toMoney(refund.amountMinor, refund.currency),
};
