import type { Express, Request } from 'express';
import { BulkheadRejectedError, bulkhead } from 'cockatiel';
import { BREAK, parse, visit } from 'graphql';
import { ErrorCode, graphqlJsonBody } from '@airline/shared';

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

const SEARCH_FIELD = 'searchFlights';

function operationText(req: Request): string {
  const body = req.body as { query?: unknown } | undefined;
  if (typeof body?.query === 'string') return body.query;
  return typeof req.query.query === 'string' ? req.query.query : '';
}

/**
 * Whether the operation selects `searchFlights` anywhere (fragments included), read from its
 * parsed document, not its text: an alias or a comment cannot hide it. A request without a
 * document (a persisted-query hash) is not served by subgraphs at all; one that does not parse
 * fails in GraphQL with its own error.
 */
export function selectsSearch(text: string): boolean {
  if (!text.includes(SEARCH_FIELD)) return false;
  let found = false;
  try {
    visit(parse(text, { noLocation: true }), {
      Field(node) {
        if (node.name.value !== SEARCH_FIELD) return undefined;
        found = true;
        return BREAK;
      },
    });
  } catch {
    return false;
  }
  return found;
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
    app.use('/graphql', ...graphqlJsonBody(), (req, res, next) => {
      if (!selectsSearch(operationText(req))) return next();
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
