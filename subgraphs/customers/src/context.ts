import type { BaseContext } from '@airline/shared';
import type { Accounts } from './customer/accounts.ts';
import type { CustomerLoaders } from './customer/customer-loaders.ts';

/** What the customers resolvers get per request. */
export interface CustomersContext extends BaseContext {
  accounts: Accounts;
  loaders: CustomerLoaders;
}
