import express, { type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { Config } from './config.ts';
import { ErrorCode } from './errors.ts';
import type { Logger } from './logger.ts';
import { activeTraceIds } from './tracing/propagation.ts';

/** The largest GraphQL request body the gateway and the subgraphs read. */
export const MAX_GRAPHQL_BODY = '1mb';

/** Code of a request refused before GraphQL sees it (Apollo Server's own for the same cases). */
export const BAD_REQUEST = 'BAD_REQUEST';

/** Answers with a GraphQL-shaped error body: what every client of `/graphql` can read. */
export function sendGraphQLError(
  res: Response,
  status: number,
  message: string,
  code: string = BAD_REQUEST,
  extra: Record<string, unknown> = {},
): void {
  res.status(status).json({ errors: [{ message, extensions: { code, ...extra } }] });
}

/**
 * Reads a JSON body for `/graphql`, refusing one that is not JSON with a GraphQL error; GET (the
 * landing page, persisted queries) and the CORS preflight pass without a body.
 */
export function graphqlJsonBody(): RequestHandler[] {
  return [
    (req, res, next) => {
      if (req.method !== 'POST' || req.is('application/json') || req.is('application/*+json'))
        return next();
      sendGraphQLError(res, 415, 'Send GraphQL requests with Content-Type: application/json');
    },
    express.json({ limit: MAX_GRAPHQL_BODY, type: ['application/json', 'application/*+json'] }),
  ];
}

/**
 * Turns failures before GraphQL (malformed JSON, oversized body, anything unexpected) into a
 * GraphQL-shaped JSON error instead of Express's HTML page with its stack trace.
 */
export function graphqlHttpErrors(logger: Logger): ErrorRequestHandler {
  return (err, _req, res, next) => {
    if (res.headersSent) return next(err);
    const type = (err as { type?: unknown }).type;
    if (type === 'entity.parse.failed')
      return sendGraphQLError(res, 400, 'The request body is not valid JSON');
    if (type === 'entity.too.large')
      return sendGraphQLError(res, 413, `The request body is larger than ${MAX_GRAPHQL_BODY}`);
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500)
      return sendGraphQLError(res, status, 'The request could not be read');
    logger.error({ err }, 'request failed before GraphQL');
    sendGraphQLError(res, 500, 'Internal server error', ErrorCode.INTERNAL_SERVER_ERROR);
  };
}

// graphql-armor words its rejections as parse errors ("Syntax Error: Query depth limit of 12
// exceeded, found 42."): the operation is well-formed, it only exceeds a limit.
const LIMIT_MESSAGE = /^Syntax Error: (.*\blimit\b.*)$/s;
// graphql-js echoes a rejected variable's value: `Variable "$input" got invalid value
// 4242424242424242 at "input.card.number"; String cannot represent a non string value: 4242…`.
// A card number or CVC must never come back in an error, so values are cut out.
const VARIABLE_VALUE_AT = /^(Variable "\$[^"]+") got invalid value .*?( at "[^"]*"); (.*)$/s;
const VARIABLE_VALUE = /^(Variable "\$[^"]+") got invalid value .*?()(?:; (.*))?$/s;
const VALUE_TAIL = /(cannot represent[^:]*|is not a valid[^:]*|Expected type[^:]*): .*$/s;

/** Rewrites client-facing error messages: names limits plainly and never echoes input values. */
export function clientMessage(message: string): string {
  const limit = LIMIT_MESSAGE.exec(message);
  if (limit) return `Operation rejected: ${limit[1]}`;
  const variable = VARIABLE_VALUE_AT.exec(message) ?? VARIABLE_VALUE.exec(message);
  if (variable) {
    const reason = (variable[3] ?? 'see the schema').replace(VALUE_TAIL, '$1');
    return `${variable[1]} got an invalid value${variable[2]}; ${reason}`;
  }
  return message;
}

/** Hides internal details of unexpected errors outside development and cleans client messages. */
export function formatError(config: Config) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError =>
    withTraceId(formatErrorOnly(config, formatted));
}

/**
 * Adds the request's trace id to the error (when tracing is on), so a client's bug report leads
 * straight to the trace; a subgraph's own id is replaced by the gateway's, which is the same trace.
 */
function withTraceId(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const { trace_id: traceId } = activeTraceIds();
  if (!traceId) return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, traceId } };
}

function formatErrorOnly(config: Config, formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (
    config.env !== 'development' &&
    (code === ErrorCode.INTERNAL_SERVER_ERROR || code === undefined)
  ) {
    return {
      message: 'Internal server error',
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  }
  const message = clientMessage(formatted.message);
  return message === formatted.message ? formatted : { ...formatted, message };
}
