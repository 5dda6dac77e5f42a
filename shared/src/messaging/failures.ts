// What a consumer does with a handler's failure depends on one question: can trying again help?
//
// - permanent: no. The message itself is wrong (malformed, a payload the schema refuses) or asks
//   for something a rule will never allow. It goes to the dead-letter queue at once, with the
//   reason, for an operator to read (and replay once a fix is deployed).
// - transient: yes. A dependency is down or slow, a connection dropped, a lock timed out, another
//   delivery of the same message is running. It is retried with capped backoff for as long as the
//   retry window allows (hours), so an outage delays work instead of losing it.
// - unexpected: a failure nobody classified (most likely a bug). Retried like a transient one,
//   because a fix and a redeploy make it pass and dead-lettering would strand the saga, but
//   logged at error level with its stack so that someone looks at it.

/** Throw from a handler when retrying cannot help (invalid data, unknown type): the message goes straight to the dead-letter queue. */
export class PermanentError extends Error {
  override name = 'PermanentError';
}

/**
 * Throw from a handler when the message cannot be applied yet but will be later (it arrived before
 * what it depends on, a dependency said "not now"): retried, logged as a warning, never dead-lettered
 * before the retry window closes.
 */
export class TransientError extends Error {
  override name = 'TransientError';
  readonly transient = true;
}

/** How a failure is treated: dead-lettered at once, or retried (quietly, or loudly). */
export type FailureKind = 'permanent' | 'transient' | 'unexpected';

// Node's socket errors and undici's (fetch) for a peer that is away, slow or gone mid-request.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ABORT_ERR',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

// PostgreSQL SQLSTATEs that a later attempt can get past: connection exceptions (class 08),
// serialization failures and deadlocks, lock and statement timeouts, resource exhaustion
// (class 53), the server shutting down or starting up.
const TRANSIENT_SQLSTATE = /^(08...|40001|40P01|55P03|57014|57P0[1-5]|53...|25P03|58000|58030)$/;

// Errors that name themselves: drivers' and our own "not now" errors.
const TRANSIENT_NAMES = new Set([
  'AbortError',
  'TimeoutError',
  'MaxRetriesPerRequestError',
  'ConnectionException',
  'DeadlockException',
  'LockWaitTimeoutException',
  'DependencyUnavailableError',
  'InboxBusyError',
  'BrokenCircuitError',
  'TaskCancelledError',
]);

// Messages of drivers that throw plain Errors for a lost connection (pg, ioredis, amqplib).
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection is closed/i,
  /connection (was )?closed/i,
  /channel (was )?closed/i,
  /client has encountered a connection error/i,
  /socket (hang up|closed)/i,
  /fetch failed/i,
  /reconnecting/i,
  /timed out/i,
];

/** Walks an error, its causes and an AggregateError's members. */
function* chain(err: unknown, depth = 0): Generator<unknown> {
  if (err === undefined || err === null || depth > 8) return;
  yield err;
  if (err instanceof AggregateError) for (const inner of err.errors) yield* chain(inner, depth + 1);
  if (err instanceof Error && err.cause !== undefined) yield* chain(err.cause, depth + 1);
}

function field(err: unknown, key: string): unknown {
  return typeof err === 'object' && err !== null
    ? (err as Record<string, unknown>)[key]
    : undefined;
}

function looksTransient(err: unknown): boolean {
  if (field(err, 'transient') === true) return true;
  const code = field(err, 'code');
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || TRANSIENT_SQLSTATE.test(code)))
    return true;
  const status = field(err, 'status') ?? field(err, 'statusCode');
  if (typeof status === 'number' && (status >= 500 || status === 429 || status === 408))
    return true;
  if (!(err instanceof Error)) return false;
  if (TRANSIENT_NAMES.has(err.name) || TRANSIENT_NAMES.has(err.constructor.name)) return true;
  return TRANSIENT_MESSAGES.some((pattern) => pattern.test(err.message));
}

/** Classifies a handler's failure (see the top of this file). */
export function failureKind(err: unknown): FailureKind {
  const links = [...chain(err)];
  // Checked first: a permanent refusal wrapped by a transient-looking layer is still permanent.
  if (links.some((e) => e instanceof PermanentError || field(e, 'name') === 'ZodError'))
    return 'permanent';
  return links.some(looksTransient) ? 'transient' : 'unexpected';
}
