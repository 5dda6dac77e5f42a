import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { GraphQLError } from 'graphql';
import {
  ErrorCode,
  unauthenticated,
  type Logger,
  type MikroORM,
  type TokenService,
} from '@airline/shared';
import type { PaymentIntake } from '../payment/payment-intake.ts';

/** What the internal payment endpoint needs. */
export interface InternalPaymentsDeps {
  tokens: TokenService;
  intake: PaymentIntake;
  orm: Pick<MikroORM, 'em'>;
  logger: Logger;
}

const STATUS_BY_CODE: Record<string, number> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.IDEMPOTENCY_CONFLICT]: 409,
  [ErrorCode.PAYMENT_UNAVAILABLE]: 503,
};

/**
 * `POST /internal/payments`, called by bookings' payBooking with the customer's own token
 * (zero trust between services): answers 202 `{ paymentId, status }` as soon as the payment is
 * stored, before the provider is asked. Errors are `{ error: { code, message } }` with the
 * design's codes. Never log the body: it holds the card.
 */
export function internalPaymentRoutes(deps: InternalPaymentsDeps): (app: Express) => void {
  const log = deps.logger.child({ component: 'internal-payments' });
  return (app) => {
    app.post('/internal/payments', express.json({ limit: '16kb' }), async (req, res) => {
      try {
        const user = await deps.tokens.fromHeader(req.header('authorization'));
        if (!user) throw unauthenticated('Forward the caller’s token as Authorization: Bearer …');
        const receipt = await deps.intake.request(deps.orm.em.fork(), user, req.body);
        res.status(202).json(receipt);
      } catch (err) {
        sendError(res, err, log);
      }
    });
    // Bodies express.json refused (not JSON, too large) arrive here, before the route runs.
    app.use('/internal', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
      if (res.headersSent) return next(err);
      const status = (err as { status?: unknown }).status;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        res.status(400).json({
          error: { code: ErrorCode.BAD_USER_INPUT, message: 'The body must be a JSON object' },
        });
        return;
      }
      sendError(res, err, log);
    });
  };
}

function sendError(res: Response, err: unknown, log: Logger): void {
  const code = err instanceof GraphQLError ? err.extensions.code : undefined;
  const status = typeof code === 'string' ? STATUS_BY_CODE[code] : undefined;
  if (err instanceof GraphQLError && status) {
    res.status(status).json({ error: { code, message: err.message } });
    return;
  }
  log.error({ err }, 'payment request failed');
  res.status(500).json({
    error: { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Internal server error' },
  });
}
