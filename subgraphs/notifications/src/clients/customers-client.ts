import { z } from 'zod';
import {
  dependencyPolicy,
  postInternal,
  type InternalEndpoint,
  type ServiceTokens,
} from '@airline/shared';

/** How a customer is reached: what customers' internal contacts endpoint answers. */
export interface Contact {
  id: string;
  email: string;
  name: string;
  /** E.164, or null when the customer gave none. */
  phone: string | null;
}

/** What composing needs from customers. */
export interface ContactsPort {
  /** The contact details of each known customer (unknown ids are absent). */
  contacts(customerIds: string[]): Promise<Contact[]>;
}

const answer = z.object({
  contacts: z.array(
    z.object({
      id: z.string(),
      email: z.string(),
      name: z.string(),
      phone: z.string().nullable(),
    }),
  ),
});

/** Most ids one request carries (the endpoint's own limit). */
const BATCH = 200;

/** Customers' `POST /internal/contacts` over HTTP, behind a timeout and a circuit breaker. */
export class CustomersClient implements ContactsPort {
  readonly #endpoint: InternalEndpoint;

  constructor(baseUrl: string, serviceTokens: ServiceTokens) {
    this.#endpoint = {
      url: new URL('/internal/contacts', baseUrl).toString(),
      audience: 'customers',
      serviceTokens,
      policy: dependencyPolicy({ timeoutMs: 5000, failuresToOpen: 5, halfOpenAfterMs: 5000 }),
    };
  }

  async contacts(customerIds: string[]): Promise<Contact[]> {
    const found: Contact[] = [];
    for (let i = 0; i < customerIds.length; i += BATCH) {
      const body = await postInternal<unknown>(
        this.#endpoint,
        { customerIds: customerIds.slice(i, i + BATCH) },
        null,
      );
      found.push(...answer.parse(body).contacts);
    }
    return found;
  }
}
