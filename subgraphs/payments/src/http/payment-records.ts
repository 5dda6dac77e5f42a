import type { Express } from 'express';
import {
  ErrorCode,
  internalRoute,
  mountInternalRoutes,
  paymentRecords,
  readRequest,
  sendError,
  sendThrown,
  type Logger,
  type MikroORM,
  type PaymentRecords,
  type ServiceTokens,
} from '@airline/shared';
import { Payment, Refund, RefundStatus } from '../payment/payment.entity.ts';

/** What the payment records endpoint needs. */
export interface PaymentRecordsDeps {
  serviceTokens: ServiceTokens;
  orm: Pick<MikroORM, 'em'>;
  logger: Logger;
}

/**
 * `POST /internal/payment-records`: bookings' saga reconciler asks what payments holds for a
 * booking whose saga stopped moving (see the contract). Read-only; only bookings may call it.
 */
export function paymentRecordRoutes(deps: PaymentRecordsDeps): (app: Express) => void {
  const logger = deps.logger.child({ component: 'payment-records' });
  return (app) =>
    mountInternalRoutes(
      app,
      { serviceTokens: deps.serviceTokens, callers: paymentRecords.callers, logger },
      (router) => {
        router.post(internalRoute(paymentRecords), async (req, res) => {
          const read = readRequest(paymentRecords, req.body);
          if (!read.ok) return sendError(res, ErrorCode.BAD_USER_INPUT, read.message);
          try {
            const em = deps.orm.em.fork();
            const payments = await em.find(
              Payment,
              { bookingId: read.request.bookingId },
              { orderBy: { createdAt: 'asc' } },
            );
            const refunding = await em.find(Refund, {
              paymentId: { $in: payments.map((p) => p.id) },
              status: RefundStatus.PENDING,
            });
            const body: PaymentRecords = {
              payments: payments.map((p) => ({
                paymentId: p.id,
                bookingId: p.bookingId,
                customerId: p.customerId,
                idempotencyKey: p.idempotencyKey,
                amount: { amountMinor: p.amountMinor, currency: p.currency },
                status: p.status,
                failureReason: p.failureReason ?? null,
                refundedMinor: p.refundedMinor,
                refundingMinor: refunding
                  .filter((r) => r.paymentId === p.id)
                  .reduce((sum, r) => sum + r.amountMinor, 0),
              })),
            };
            res.json(body);
          } catch (err) {
            sendThrown(res, err, logger);
          }
        });
      },
    );
}
