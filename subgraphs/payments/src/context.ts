import type { BaseContext } from '@airline/shared';
import type { PaymentLoaders } from './payment/payment-loaders.ts';

/** What the payments resolvers get per request. */
export interface PaymentsContext extends BaseContext {
  loaders: PaymentLoaders;
}
