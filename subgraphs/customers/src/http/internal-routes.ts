import type { Express } from 'express';
import { z } from 'zod';
import {
  ErrorCode,
  mountInternalRoutes,
  sendError,
  type Logger,
  type MikroORM,
  type ServiceTokens,
} from '@airline/shared';
import { Customer } from '../customer/customer.entity.ts';

/** What the internal endpoints need. */
export interface InternalRouteDeps {
  orm: MikroORM;
  serviceTokens: ServiceTokens;
  logger: Logger;
}

const contactsRequest = z.object({ customerIds: z.array(z.uuid()).min(1).max(200) });

/**
 * Service-to-service endpoints under `/internal` (the gateway does not route them): only
 * notifications' service credential is accepted.
 *
 * `POST /internal/contacts` `{ customerIds }` answers `{ contacts: [{ id, email, name, phone }] }`
 * for the customers that exist, so messages reach the address on the account when they are sent.
 */
export function internalRoutes(deps: InternalRouteDeps): (app: Express) => void {
  return (app) =>
    mountInternalRoutes(app, { ...deps, callers: ['notifications'] }, (router) => {
      router.post('/contacts', async (req, res) => {
        const parsed = contactsRequest.safeParse(req.body);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          return sendError(
            res,
            ErrorCode.BAD_USER_INPUT,
            `${issue.path.join('.') || 'body'}: ${issue.message}`,
          );
        }
        const customers = await deps.orm.em
          .fork()
          .find(Customer, { id: { $in: parsed.data.customerIds } });
        res.json({
          contacts: customers.map((c) => ({
            id: c.id,
            email: c.email,
            name: c.name,
            phone: c.phone ?? null,
          })),
        });
      });
    });
}
