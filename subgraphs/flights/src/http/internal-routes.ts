import express, { type ErrorRequestHandler, type Express, type Response } from 'express';
import {
  ErrorCode,
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

function fail(
  res: Response,
  status: number,
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  res.status(status).json({ error: { code, message, ...extra } });
}

/**
 * Service-to-service endpoints under `/internal` (the gateway does not route them): the caller
 * must present a valid access token of any user, as every request between services does.
 *
 * `POST /internal/seat-quotes` `{ flightId, seats }` answers the flight and, in the order asked,
 * each seat's cabin, inventory status and price in minor units.
 */
export function internalRoutes(deps: InternalRouteDeps): (app: Express) => void {
  const router = express.Router();
  router.use(express.json({ limit: '16kb' }));
  router.use(async (req, res, next) => {
    try {
      const user = await deps.tokens.fromHeader(req.header('authorization'));
      if (user) return next();
      fail(res, 401, ErrorCode.UNAUTHENTICATED, 'an access token is required');
    } catch (err) {
      fail(res, 401, ErrorCode.UNAUTHENTICATED, (err as Error).message);
    }
  });
  router.post('/seat-quotes', async (req, res) => {
    const parsed = seatQuoteRequest.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      fail(
        res,
        400,
        ErrorCode.BAD_USER_INPUT,
        `${issue.path.join('.') || 'body'}: ${issue.message}`,
        { seats: [] },
      );
      return;
    }
    const result = await quoteSeats(deps.orm.em.fork(), deps.holds, parsed.data, deps.now());
    if (result.kind === 'not-found')
      return fail(res, 404, ErrorCode.NOT_FOUND, `Flight ${parsed.data.flightId} was not found`);
    if (result.kind === 'unknown-seats')
      return fail(
        res,
        400,
        ErrorCode.BAD_USER_INPUT,
        `no such seat on this flight: ${result.seats.join(', ')}`,
        { seats: result.seats },
      );
    res.json({ flight: result.flight, seats: result.seats });
  });
  const errors: ErrorRequestHandler = (err, _req, res, _next) => {
    const status = (err as { status?: number }).status;
    if (status && status >= 400 && status < 500)
      return fail(res, status, ErrorCode.BAD_USER_INPUT, 'the body must be a JSON object');
    deps.logger.error({ err }, 'internal endpoint failed');
    fail(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'internal error');
  };
  router.use(errors);
  return (app) => void app.use('/internal', router);
}
