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

/**
 * POSTs JSON to another service's internal endpoint under a policy, forwarding the caller's token.
 * 2xx returns the body; 4xx throws DependencyRejectedError; anything else DependencyUnavailableError.
 */
export async function postInternal<T>(
  policy: IPolicy,
  url: string,
  body: unknown,
  authorization: string | undefined,
): Promise<T> {
  try {
    return await policy.execute(async ({ signal }) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(authorization ? { authorization } : {}),
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
