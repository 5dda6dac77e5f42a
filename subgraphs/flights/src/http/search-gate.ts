import express, { type Express, type Request } from 'express';
import { BulkheadRejectedError, bulkhead } from 'cockatiel';
import { ErrorCode } from '@airline/shared';

/** How much search may take at once before it is turned away. */
export interface SearchLimits {
  /** Search operations executing at the same time, nested seat maps included. */
  concurrent: number;
  /** Search operations waiting for a slot; beyond that one is RATE_LIMITED at once. */
  queued: number;
}

/**
 * Two at a time: the process keeps most of its event loop for the booking path (seat quotes,
 * confirmations) however hard search is hit; with the read pool's 5 connections there is room
 * for the seat maps of both.
 */
export const DEFAULT_SEARCH_LIMITS: SearchLimits = { concurrent: 2, queued: 200 };

const SEARCH_FIELD = /\bsearchFlights\b/;

function operationText(req: Request): string {
  const body = req.body as { query?: unknown } | undefined;
  if (typeof body?.query === 'string') return body.query;
  return typeof req.query.query === 'string' ? req.query.query : '';
}

/**
 * The search bulkhead, in front of GraphQL: an operation that selects `searchFlights` runs only
 * in one of a few slots, from parsing to the last byte of its response (seat maps are the
 * expensive part, so a limit inside the resolver alone would not hold). Other operations, the
 * internal endpoints and the message consumers never wait for it. Mounted with `extraRoutes`.
 */
export function searchGate(limits: SearchLimits): (app: Express) => void {
  const policy = bulkhead(limits.concurrent, limits.queued);
  return (app) => {
    // Parsing here is kept: the GraphQL route's own JSON parser skips a body already read.
    app.use('/graphql', express.json({ limit: '1mb' }), (req, res, next) => {
      if (!SEARCH_FIELD.test(operationText(req))) return next();
      // Listen before queueing: a client that gives up while waiting must still free its slot.
      let gone = false;
      const closed = new Promise<void>((resolve) =>
        res.once('close', () => {
          gone = true;
          resolve();
        }),
      );
      policy
        .execute(async () => {
          if (gone) return;
          next();
          await closed;
        })
        .catch((err: unknown) => {
          if (!(err instanceof BulkheadRejectedError)) return next(err);
          // 200 with a GraphQL error: the gateway passes it on with its code, as for any error.
          res.status(200).json({
            data: null,
            errors: [
              {
                message: 'Flight search is busy: try again in a moment',
                extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: 1 },
              },
            ],
          });
        });
    });
  };
}
