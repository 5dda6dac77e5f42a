import type { Express } from 'express';
import {
  ErrorCode,
  mountInternalRoutes,
  sendError,
  type Logger,
  type MikroORM,
  type SeatHolds,
  type TokenService,
} from '@airline/shared';
import { quoteSeats, seatQuoteRequest } from '../inventory/seat-quotes.ts';

/** What the internal endpoints need. */
export interface InternalRouteDeps {
  /** The write side's pool: the booking path never queues behind search. */
  orm: MikroORM;
  holds: SeatHolds;
  tokens: TokenService;
  logger: Logger;
  now: () => Date;
}

/**
 * Service-to-service endpoints under `/internal` (the gateway does not route them): the caller
 * must present a valid access token of any user, as every request between services does.
 *
 * `POST /internal/seat-quotes` `{ flightId, seats }` answers the flight and, in the order asked,
 * each seat's cabin, inventory status and price in minor units.
 */
export function internalRoutes(deps: InternalRouteDeps): (app: Express) => void {
  return (app) =>
    mountInternalRoutes(app, deps, (router) => {
      router.post('/seat-quotes', async (req, res) => {
        const parsed = seatQuoteRequest.safeParse(req.body);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          const message = `${issue.path.join('.') || 'body'}: ${issue.message}`;
          return sendError(res, ErrorCode.BAD_USER_INPUT, message, { seats: [] });
        }
        const result = await quoteSeats(deps.orm.em.fork(), deps.holds, parsed.data, deps.now());
        if (result.kind === 'not-found')
          return sendError(
            res,
            ErrorCode.NOT_FOUND,
            `Flight ${parsed.data.flightId} was not found`,
          );
        if (result.kind === 'unknown-seats')
          return sendError(
            res,
            ErrorCode.BAD_USER_INPUT,
            `no such seat on this flight: ${result.seats.join(', ')}`,
            {
              seats: result.seats,
            },
          );
        res.json({ flight: result.flight, seats: result.seats });
      });
    });
}
