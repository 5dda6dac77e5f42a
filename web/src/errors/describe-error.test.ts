import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { describe, expect, test } from 'vitest';
import { describeError, errorCode, listSeats } from './describe-error.ts';

const graphQLError = (
  code: string,
  extensions: Record<string, unknown> = {},
  message = 'server words',
) =>
  new CombinedGraphQLErrors({
    data: null,
    errors: [{ message, extensions: { code, ...extensions } }],
  });

describe('errors as people understand them', () => {
  test('a seat someone just took is named, with what to do', () => {
    expect(describeError(graphQLError('SEAT_UNAVAILABLE', { seats: ['14C'] }))).toBe(
      'Someone just took 14C, pick another seat.',
    );
    expect(describeError(graphQLError('SEAT_UNAVAILABLE', { seats: ['14C', '14D'] }))).toBe(
      'Someone just took 14C and 14D, pick other seats.',
    );
  });

  test('a declined card asks for another card; an unavailable provider says nothing was charged', () => {
    expect(describeError(graphQLError('PAYMENT_DECLINED'))).toBe(
      'Your card was declined. Please try another card.',
    );
    expect(describeError(graphQLError('PAYMENT_UNAVAILABLE'))).toMatch(/nothing was charged/);
  });

  test('rate limits say how long to wait', () => {
    expect(describeError(graphQLError('RATE_LIMITED', { retryAfterSeconds: 4.2 }))).toBe(
      'Too many attempts. Please wait 5 seconds and try again.',
    );
  });

  test('bad input keeps the service’s own sentence; unknown codes never leak', () => {
    expect(
      describeError(graphQLError('BAD_USER_INPUT', {}, 'password: must contain a digit')),
    ).toBe('password: must contain a digit');
    expect(describeError(graphQLError('INTERNAL_SERVER_ERROR', {}, 'TypeError at line 3'))).toBe(
      'Something went wrong on our side. Please try again.',
    );
  });

  test('an HTTP error with a GraphQL body is read like any other', () => {
    const body = JSON.stringify({
      errors: [{ message: 'x', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    const error = new ServerError('Response not successful', {
      response: new Response(body, { status: 401 }),
      bodyText: body,
    });
    expect(errorCode(error)).toBe('UNAUTHENTICATED');
    expect(describeError(error)).toBe('Please log in to continue.');
  });

  test('no answer at all is a connection problem', () => {
    expect(describeError(new TypeError('Failed to fetch'))).toMatch(
      /could not reach the booking service/,
    );
  });

  test('seat lists read naturally', () => {
    expect(listSeats(['1A'])).toBe('1A');
    expect(listSeats(['1A', '1B', '2C'])).toBe('1A, 1B and 2C');
  });
});
