import { GraphQLError } from 'graphql';

/** The `extensions.code` values clients can rely on (DESIGN §2). */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  SEAT_UNAVAILABLE: 'SEAT_UNAVAILABLE',
  HOLD_EXPIRED: 'HOLD_EXPIRED',
  PAYMENT_DECLINED: 'PAYMENT_DECLINED',
  PAYMENT_UNAVAILABLE: 'PAYMENT_UNAVAILABLE',
  IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
/** One of the client-facing error codes. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A GraphQL error carrying one of our codes and optional machine-readable details. */
export function appError(
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details } });
}

/** Bad input: says which field and why. */
export const badInput = (message: string, field?: string): GraphQLError =>
  appError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : undefined);
/** The caller is not logged in. */
export const unauthenticated = (message = 'You must be logged in'): GraphQLError =>
  appError(ErrorCode.UNAUTHENTICATED, message);
/** The caller is logged in but may not do this. */
export const forbidden = (message = 'You are not allowed to do this'): GraphQLError =>
  appError(ErrorCode.FORBIDDEN, message);
/** The thing does not exist (or the caller may not know that it does). */
export const notFound = (what: string, id: string): GraphQLError =>
  appError(ErrorCode.NOT_FOUND, `${what} ${id} was not found`, { id });
