import express, {
  type ErrorRequestHandler,
  type Express,
  type Response,
  type Router,
} from 'express';
import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  timeout,
  wrap,
  type IPolicy,
} from 'cockatiel';
import { GraphQLError } from 'graphql';
import type { AuthUser } from './auth.ts';
import { ErrorCode } from './errors.ts';
import type { Logger } from './logger.ts';
import type { ServiceCaller, ServiceIdentity, ServiceTokens } from './service-auth.ts';
import { traceHeaders } from './tracing/propagation.ts';
import { traceRequests } from './tracing/request-spans.ts';

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

/** The verified service caller of an internal request (set by `mountInternalRoutes`). */
export function callerOf(res: Response): ServiceCaller {
  return res.locals.caller as ServiceCaller;
}

/** What `mountInternalRoutes` needs: this process's service credentials and who may call it. */
export interface InternalRouteAccess {
  serviceTokens: ServiceTokens;
  /** The services allowed to call these endpoints; anyone else (end users included) gets 401. */
  callers: readonly ServiceIdentity[];
  logger: Logger;
}

/**
 * Mounts a service's internal endpoints under `/internal`: a service credential addressed to this
 * service from an allowed caller is required (an end user's token is refused with 401), small
 * JSON bodies, and one error handler for bodies that are not JSON and for unanswered failures.
 */
export function mountInternalRoutes(
  app: Express,
  deps: InternalRouteAccess,
  define: (router: Router) => void,
): void {
  const router = express.Router();
  // Authenticate before reading the body: an outsider's bytes are never parsed.
  router.use(async (req, res, next) => {
    try {
      res.locals.caller = await deps.serviceTokens.fromHeader(
        req.header('authorization'),
        deps.callers,
      );
      next();
    } catch (err) {
      sendError(res, ErrorCode.UNAUTHENTICATED, (err as Error).message);
    }
  });
  router.use(express.json({ limit: '16kb' }));
  // After the body parser, so the caller's trace reaches the handler (see traceRequests).
  router.use(traceRequests('internal'));
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

/** The other service did not answer usefully (down, timing out, 5xx, or its breaker is open). */
export class DependencyUnavailableError extends Error {
  override name = 'DependencyUnavailableError';
}

/** A 4xx answer from an internal endpoint, with its error code and body. */
export class DependencyRejectedError extends Error {
  override name = 'DependencyRejectedError';
  readonly status: number;
  readonly code: string;
  readonly body: Record<string, unknown>;

  constructor(status: number, code: string, message: string, body: Record<string, unknown>) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

class ServerError extends Error {}

/** Timeout + circuit breaker around calls to one internal service: fail fast while it is down. */
export function dependencyPolicy(opts: {
  timeoutMs: number;
  failuresToOpen: number;
  halfOpenAfterMs: number;
}): IPolicy {
  const breaker = circuitBreaker(
    handleWhen((err) => !(err instanceof DependencyRejectedError)),
    { halfOpenAfter: opts.halfOpenAfterMs, breaker: new ConsecutiveBreaker(opts.failuresToOpen) },
  );
  return wrap(breaker, timeout(opts.timeoutMs, TimeoutStrategy.Aggressive));
}

/** One internal endpoint of another service, called with this service's credential. */
export interface InternalEndpoint {
  url: string;
  /** The callee, the credential's audience. */
  audience: ServiceIdentity;
  serviceTokens: ServiceTokens;
  policy: IPolicy;
}

/**
 * POSTs JSON to another service's internal endpoint under its policy, with a service credential
 * naming the end user the call is made for. 2xx returns the body; 4xx throws
 * DependencyRejectedError; anything else DependencyUnavailableError.
 */
export async function postInternal<T>(
  endpoint: InternalEndpoint,
  body: unknown,
  user: AuthUser | null,
): Promise<T> {
  const { url } = endpoint;
  try {
    const credential = await endpoint.serviceTokens.sign(endpoint.audience, user);
    return await endpoint.policy.execute(async ({ signal }) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${credential}`,
          // The callee continues this trace: global fetch is not covered by the HTTP instrumentation.
          ...traceHeaders(),
        },
        body: JSON.stringify(body),
        signal,
      });
      const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (res.ok) return json as T;
      if (res.status >= 400 && res.status < 500) {
        const error = (json.error ?? {}) as { code?: string; message?: string };
        throw new DependencyRejectedError(
          res.status,
          error.code ?? String(res.status),
          error.message ?? res.statusText,
          json,
        );
      }
      throw new ServerError(`${url} answered ${res.status}`);
    });
  } catch (err) {
    if (err instanceof DependencyRejectedError) throw err;
    const why = err instanceof BrokenCircuitError ? 'circuit open' : (err as Error).message;
    throw new DependencyUnavailableError(`${new URL(url).pathname}: ${why}`);
  }
}
