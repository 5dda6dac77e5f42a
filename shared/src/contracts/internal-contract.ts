import type { z } from 'zod';
import type { AuthUser } from '../auth.ts';
import {
  DependencyUnavailableError,
  postInternal,
  type InternalEndpoint,
} from '../internal-http.ts';
import type { ServiceIdentity } from '../service-auth.ts';

/**
 * One internal HTTP endpoint, written once and used by both sides: the callee validates the
 * request with `request` and answers what `response` describes; the caller builds the request
 * from the same types and checks the answer against `response`, so the two can only drift apart
 * by changing this file.
 */
export interface InternalContract<Req extends z.ZodType, Res extends z.ZodType> {
  /** Where the callee serves it (`mountInternalRoutes` mounts its router on `/internal`). */
  path: `/internal/${string}`;
  /** The service that serves it: the audience of the caller's credential. */
  callee: ServiceIdentity;
  /** The only services allowed to call it. */
  callers: readonly ServiceIdentity[];
  request: Req;
  response: Res;
}

/** Declares a contract (an identity function that keeps the literal types). */
export function internalContract<Req extends z.ZodType, Res extends z.ZodType>(
  contract: InternalContract<Req, Res>,
): InternalContract<Req, Res> {
  return contract;
}

/** A contract of any request and response. */
type AnyContract = InternalContract<z.ZodType, z.ZodType>;

/** The body a caller sends. */
export type RequestOf<C extends AnyContract> = z.input<C['request']>;
/** The body a callee reads, once validated. */
export type ValidRequestOf<C extends AnyContract> = z.output<C['request']>;
/** The body a callee answers with and a caller receives. */
export type ResponseOf<C extends AnyContract> = z.output<C['response']>;

/** The route within the `/internal` router (`mountInternalRoutes`) that serves a contract. */
export function internalRoute(contract: AnyContract): string {
  return contract.path.slice('/internal'.length);
}

/**
 * The callee's reading of a request body: the validated request, or the first problem worded as
 * `field: why` (never echoing the value, which may be a card number).
 */
export function readRequest<C extends AnyContract>(
  contract: C,
  body: unknown,
): { ok: true; request: ValidRequestOf<C> } | { ok: false; message: string } {
  const parsed = contract.request.safeParse(body);
  if (parsed.success) return { ok: true, request: parsed.data as ValidRequestOf<C> };
  const issue = parsed.error.issues[0]!;
  return { ok: false, message: `${issue.path.join('.') || 'body'}: ${issue.message}` };
}

/** How a caller reaches a contract's callee. */
export interface InternalClientOptions {
  /** The callee's base URL, e.g. `config.internalUrls.flights`. */
  baseUrl: string;
  serviceTokens: InternalEndpoint['serviceTokens'];
  /** Timeout and circuit breaker (`dependencyPolicy`). */
  policy: InternalEndpoint['policy'];
}

/**
 * A caller of one contract: POSTs the request with this service's credential naming the end user,
 * and checks the answer. An answer that does not fit the contract is the callee failing
 * (DependencyUnavailableError), like a 5xx; 4xx answers throw DependencyRejectedError as usual.
 */
export function internalClient<C extends AnyContract>(
  contract: C,
  options: InternalClientOptions,
): (request: RequestOf<C>, user: AuthUser | null) => Promise<ResponseOf<C>> {
  const endpoint: InternalEndpoint = {
    url: new URL(contract.path, options.baseUrl).toString(),
    audience: contract.callee,
    serviceTokens: options.serviceTokens,
    policy: options.policy,
  };
  return async (request, user) => {
    const answer = await postInternal<unknown>(endpoint, request, user);
    const parsed = contract.response.safeParse(answer);
    if (parsed.success) return parsed.data as ResponseOf<C>;
    const issue = parsed.error.issues[0]!;
    throw new DependencyUnavailableError(
      `${contract.path}: the answer does not match the contract (${issue.path.join('.') || 'body'}: ${issue.message})`,
    );
  };
}
