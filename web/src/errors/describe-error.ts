// Errors as people understand them: the contract's `extensions.code` decides the sentence, so a
// person reads what happened and what to do next, never a stack trace or a code.
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import type { GraphQLFormattedError } from 'graphql';

/** The contract's error codes the app has words for. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'SEAT_UNAVAILABLE'
  | 'HOLD_EXPIRED'
  | 'PAYMENT_DECLINED'
  | 'PAYMENT_UNAVAILABLE'
  | 'IDEMPOTENCY_CONFLICT'
  | 'RATE_LIMITED'
  | 'SUBGRAPH_UNAVAILABLE';

/** The GraphQL errors of a failed operation, from a GraphQL answer or an HTTP error's body. */
export function graphQLErrorsOf(error: unknown): readonly GraphQLFormattedError[] {
  if (CombinedGraphQLErrors.is(error)) return error.errors;
  if (ServerError.is(error)) {
    try {
      const body = JSON.parse(error.bodyText) as { errors?: GraphQLFormattedError[] };
      return Array.isArray(body.errors) ? body.errors : [];
    } catch {
      return [];
    }
  }
  return [];
}

/** The code of an operation's first error, if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = graphQLErrorsOf(error)[0]?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

/** "14C", "14C and 14D", "14C, 14D and 15A". */
export function listSeats(seats: readonly string[]): string {
  if (seats.length <= 1) return seats[0] ?? '';
  return `${seats.slice(0, -1).join(', ')} and ${seats.at(-1)}`;
}

/** The sentence for seats someone else took while they were being chosen or held. */
export function seatsTakenMessage(seats: readonly string[]): string {
  if (seats.length === 0) return 'Someone just took one of your seats, pick another seat.';
  return seats.length === 1
    ? `Someone just took ${seats[0]}, pick another seat.`
    : `Someone just took ${listSeats(seats)}, pick other seats.`;
}

/** One sentence saying what went wrong and what to do about it. */
export function describeError(error: unknown): string {
  const first = graphQLErrorsOf(error)[0];
  if (!first) {
    if (ServerError.is(error) && error.statusCode >= 500)
      return 'The booking service is having trouble. Please try again in a moment.';
    return 'We could not reach the booking service. Check your connection and try again.';
  }
  const ext = first.extensions ?? {};
  switch (ext.code) {
    case 'SEAT_UNAVAILABLE':
      return seatsTakenMessage(Array.isArray(ext.seats) ? ext.seats.map(String) : []);
    case 'HOLD_EXPIRED':
      return 'Your hold on these seats ran out. Please choose your seats again.';
    case 'PAYMENT_DECLINED':
      return 'Your card was declined. Please try another card.';
    case 'PAYMENT_UNAVAILABLE':
      return 'Payments are unavailable right now and nothing was charged. Please try again in a minute.';
    case 'RATE_LIMITED': {
      const seconds = Number(ext.retryAfterSeconds);
      return Number.isFinite(seconds) && seconds > 0
        ? `Too many attempts. Please wait ${Math.ceil(seconds)} seconds and try again.`
        : 'Too many attempts. Please wait a moment and try again.';
    }
    case 'UNAUTHENTICATED':
      return 'Please log in to continue.';
    case 'FORBIDDEN':
      return 'Your account is not allowed to do this.';
    case 'NOT_FOUND':
      return 'We could not find that. It may have been removed, or belong to another account.';
    case 'IDEMPOTENCY_CONFLICT':
      return 'This was already sent with different details. Reload the page and try again.';
    case 'SUBGRAPH_UNAVAILABLE':
      return 'Part of this information is unavailable right now. Please try again shortly.';
    case 'BAD_USER_INPUT':
      // Written for people by the services (which field and why); never echoes a secret.
      return first.message;
    default:
      return 'Something went wrong on our side. Please try again.';
  }
}
