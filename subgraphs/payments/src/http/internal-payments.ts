import type { Express } from 'express';
import {
  callerOf,
  internalRoute,
  mountInternalRoutes,
  paymentRequests,
  sendThrown,
  type Logger,
  type MikroORM,
  type PaymentReceipt,
  type ServiceTokens,
} from '@airline/shared';
import type { PaymentIntake } from '../payment/payment-intake.ts';

/** What the internal payment endpoint needs. */
export interface InternalPaymentsDeps {
  serviceTokens: ServiceTokens;
  intake: PaymentIntake;
  orm: Pick<MikroORM, 'em'>;
  logger: Logger;
}

/**
 * `POST /internal/payments`, called only by bookings' payBooking with its service credential
 * naming the customer it acts for (an end user's own token is refused): answers 202 `{ paymentId, status }` as soon as the payment is
 * stored, before the provider is asked. Errors are `{ error: { code, message } }` with the
 * design's codes. Never log the body: it holds the card.
 */
export function internalPaymentRoutes(deps: InternalPaymentsDeps): (app: Express) => void {
  const logger = deps.logger.child({ component: 'internal-payments' });
  return (app) =>
    mountInternalRoutes(
      app,
      { serviceTokens: deps.serviceTokens, callers: paymentRequests.callers, logger },
      (router) => {
        router.post(internalRoute(paymentRequests), async (req, res) => {
          try {
            const receipt: PaymentReceipt = await deps.intake.request(
              deps.orm.em.fork(),
              callerOf(res),
              req.body,
            );
            res.status(202).json(receipt);
          } catch (err) {
            sendThrown(res, err, logger);
          }
        });
      },
    );
}
