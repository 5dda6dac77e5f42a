import { z } from 'zod';
import { failureKind, PermanentError, TransientError } from './failures.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('failure classification', () => {
  it('a refusal for good is permanent, even wrapped in another error', () => {
    expect(failureKind(new PermanentError('no such seat'))).toBe('permanent');
    expect(failureKind(new Error('handler failed', { cause: new PermanentError('bad') }))).toBe(
      'permanent',
    );
    const invalid = z.object({ id: z.guid() }).safeParse({ id: 'nope' });
    expect(failureKind(invalid.error)).toBe('permanent');
  });

  it('a dependency that is away, slow or dropped the connection is transient', () => {
    expect(failureKind(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(
      'transient',
    );
    expect(failureKind(new Error('Connection terminated unexpectedly'))).toBe('transient');
    expect(
      failureKind(withCode('terminating connection due to administrator command', '57P01')),
    ).toBe('transient');
    expect(failureKind(withCode('canceling statement due to statement timeout', '57014'))).toBe(
      'transient',
    );
    expect(failureKind(withCode('deadlock detected', '40P01'))).toBe('transient');
    expect(failureKind(new Error('Connection is closed.'))).toBe('transient');
    expect(failureKind(Object.assign(new Error('x'), { name: 'MaxRetriesPerRequestError' }))).toBe(
      'transient',
    );
    expect(failureKind(new TypeError('fetch failed', { cause: withCode('x', 'ECONNRESET') }))).toBe(
      'transient',
    );
    expect(failureKind(new AggregateError([withCode('x', 'ECONNREFUSED')]))).toBe('transient');
    expect(failureKind(new TransientError('booking b-1 is not known yet'))).toBe('transient');
  });

  it('anything else is unexpected: retried, but not silently', () => {
    expect(failureKind(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(
      'unexpected',
    );
    expect(failureKind(withCode('duplicate key value violates unique constraint', '23505'))).toBe(
      'unexpected',
    );
    expect(failureKind('a string')).toBe('unexpected');
  });
});
