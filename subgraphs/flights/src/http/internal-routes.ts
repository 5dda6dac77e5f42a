import type { Express } from 'express';
import { z } from 'zod';
import {
  ErrorCode,
  callerOf,
  internalRoute,
  mountInternalRoutes,
  readRequest,
  seatQuotes,
  sendError,
  type Logger,
  type MikroORM,
  type SeatHolds,
  type SeatQuoteResponse,
  type ServiceTokens,
} from '@airline/shared';
import { quoteSeats } from '../inventory/seat-quotes.ts';
import { flightDetails } from '../flight/flight-details.ts';

const flightDetailsRequest = z.object({ flightIds: z.array(z.uuid()).min(1).max(100) });

/** What the internal endpoints need. */
export interface InternalRouteDeps {
  /** The write side's pool: the booking path never queues behind search. */
  orm: MikroORM;
  holds: SeatHolds;
  serviceTokens: ServiceTokens;
  logger: Logger;
  now: () => Date;
}

/**
 * Service-to-service endpoints under `/internal` (the gateway does not route them): bookings'
 * and notifications' service credentials are accepted, each for its own endpoints.
 *
 * `POST /internal/seat-quotes` `{ flightId, seats }` answers the flight and, in the order asked,
 * each seat's cabin, inventory status and price in minor units.
 */
export function internalRoutes(deps: InternalRouteDeps): (app: Express) => void {
  return (app) =>
    mountInternalRoutes(app, { ...deps, callers: ['bookings', 'notifications'] }, (router) => {
      router.post(internalRoute(seatQuotes), async (req, res) => {
        if (!seatQuotes.callers.includes(callerOf(res).service))
          return sendError(res, ErrorCode.UNAUTHENTICATED, 'only bookings may ask for seat quotes');
        const parsed = readRequest(seatQuotes, req.body);
        if (!parsed.ok)
          return sendError(res, ErrorCode.BAD_USER_INPUT, parsed.message, { seats: [] });
        const result = await quoteSeats(deps.orm.em.fork(), deps.holds, parsed.request, deps.now());
        if (result.kind === 'not-found')
          return sendError(
            res,
            ErrorCode.NOT_FOUND,
            `Flight ${parsed.request.flightId} was not found`,
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
        const quote: SeatQuoteResponse = { flight: result.flight, seats: result.seats };
        res.json(quote);
      });
      // Notifications: what a passenger's message shows of each flight (local times, zones, gate).
      router.post('/flight-details', async (req, res) => {
        const parsed = flightDetailsRequest.safeParse(req.body);
        if (!parsed.success)
          return sendError(res, ErrorCode.BAD_USER_INPUT, 'flightIds: 1 to 100 flight ids');
        res.json({ flights: await flightDetails(deps.orm.em.fork(), parsed.data.flightIds) });
      });
    });
}
