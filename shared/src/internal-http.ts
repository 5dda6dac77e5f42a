import express, {
  type ErrorRequestHandler,
  type Express,
  type Response,
  type Router,
} from 'express';
import { GraphQLError } from 'graphql';
import type { AuthUser, TokenService } from './auth.ts';
import { ErrorCode } from './errors.ts';
import type { Logger } from './logger.ts';

/** The HTTP status each client-facing error code is answered with on internal endpoints. */
export const HTTP_STATUS_OF: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  SEAT_UNAVAILABLE: 409,
  HOLD_EXPIRED: 409,
  IDEMPOTENCY_CONFLICT: 409,
  PAYMENT_DECLINED: 402,
  RATE_LIMITED: 429,
  PAYMENT_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

/** Answers an internal request with the `{ error: { code, message } }` body every service uses. */
export function sendError(
  res: Response,
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  res.status(HTTP_STATUS_OF[code]).json({ error: { code, message, ...extra } });
}

/** Answers with a thrown GraphQL error's own code, or logs it and answers 500. */
export function sendThrown(res: Response, err: unknown, logger: Logger): void {
  const code = err instanceof GraphQLError ? err.extensions.code : undefined;
  if (
    typeof code === 'string' &&
    code in HTTP_STATUS_OF &&
    code !== ErrorCode.INTERNAL_SERVER_ERROR
  ) {
    sendError(res, code as ErrorCode, (err as GraphQLError).message);
    return;
  }
  logger.error({ err }, 'internal endpoint failed');
  sendError(res, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
}

/** The verified caller of an internal request (set by `mountInternalRoutes`). */
export function callerOf(res: Response): AuthUser {
  return res.locals.user as AuthUser;
}

/**
 * Mounts a service's internal endpoints under `/internal`: small JSON bodies, the caller's
 * forwarded bearer token verified here (zero trust between services, 401 otherwise), and one
 * error handler for bodies that are not JSON and for failures the routes did not answer.
 */
export function mountInternalRoutes(
  app: Express,
  deps: { tokens: TokenService; logger: Logger },
  define: (router: Router) => void,
): void {
  const router = express.Router();
  router.use(express.json({ limit: '16kb' }));
  router.use(async (req, res, next) => {
    try {
      const user = await deps.tokens.fromHeader(req.header('authorization'));
      if (!user)
        return sendError(
          res,
          ErrorCode.UNAUTHENTICATED,
          'Forward the caller’s token as Authorization: Bearer …',
        );
      res.locals.user = user;
      next();
    } catch (err) {
      sendError(res, ErrorCode.UNAUTHENTICATED, (err as Error).message);
    }
  });
  define(router);
  const errors: ErrorRequestHandler = (err, _req, res, next) => {
    if (res.headersSent) return next(err);
    const status = (err as { status?: unknown }).status;
    // express.json refusals (not JSON, too large) carry a 4xx status.
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendError(res, ErrorCode.BAD_USER_INPUT, 'The body must be a JSON object');
    }
    sendThrown(res, err, deps.logger);
  };
  router.use(errors);
  app.use('/internal', router);
}
