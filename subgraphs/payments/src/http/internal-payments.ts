import type { Express } from 'express';
import {
  callerOf,
  mountInternalRoutes,
  sendThrown,
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

/**
 * `POST /internal/payments`, called by bookings' payBooking with the customer's own token
 * (zero trust between services): answers 202 `{ paymentId, status }` as soon as the payment is
 * stored, before the provider is asked. Errors are `{ error: { code, message } }` with the
 * design's codes. Never log the body: it holds the card.
 */
export function internalPaymentRoutes(deps: InternalPaymentsDeps): (app: Express) => void {
  const logger = deps.logger.child({ component: 'internal-payments' });
  return (app) =>
    mountInternalRoutes(app, { tokens: deps.tokens, logger }, (router) => {
      router.post('/payments', async (req, res) => {
        try {
          const receipt = await deps.intake.request(deps.orm.em.fork(), callerOf(res), req.body);
          res.status(202).json(receipt);
        } catch (err) {
          sendThrown(res, err, logger);
        }
      });
    });
}
