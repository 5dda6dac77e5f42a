import DataLoader from 'dataloader';
import type { EntityManager } from '@airline/shared';
import {
  Customer,
  PassengerProfile,
  type CustomerEntity,
  type PassengerProfileEntity,
} from './customer.entity.ts';
import { isUuid } from './accounts.ts';

/** Request-scoped batch loaders: one query per field per request, never one per item. */
export interface CustomerLoaders {
  customerById: DataLoader<string, CustomerEntity | null>;
  passengersByCustomer: DataLoader<string, PassengerProfileEntity[]>;
}

/** Builds the loaders for one request on that request's EntityManager. */
export function createCustomerLoaders(em: EntityManager): CustomerLoaders {
  return {
    customerById: new DataLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await em.find(Customer, { id: { $in: valid } }) : [];
      const byId = new Map(rows.map((c) => [c.id, c]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    passengersByCustomer: new DataLoader(async (customerIds) => {
      const rows = await em.find(
        PassengerProfile,
        { customerId: { $in: [...customerIds] } },
        { orderBy: { createdAt: 'asc', id: 'asc' } },
      );
      return customerIds.map((id) => rows.filter((p) => p.customerId === id));
    }),
  };
}
