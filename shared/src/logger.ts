import { pino, type DestinationStream, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';
import type { Config } from './config.ts';
import { activeTraceIds } from './tracing/propagation.ts';

export type { Logger } from 'pino';

/**
 * Set by `npm start` for its children when its own stdout is a terminal: the children write into
 * concurrently's pipes, so they cannot see the terminal themselves.
 */
export const PRETTY_LOGS_ENV = 'LOG_PRETTY';

/** The one timestamp format of every process, pretty or JSON: ISO-8601 in UTC with milliseconds. */
export const LOG_TIME_FORMAT = "UTC:yyyy-mm-dd'T'HH:MM:ss.l'Z'";

/** Whether log lines should be coloured and readable rather than JSON (a person is watching). */
export function wantsPrettyLogs(env: NodeJS.ProcessEnv = process.env): boolean {
  const setting = env[PRETTY_LOGS_ENV];
  if (setting === '1' || setting === 'true') return true;
  if (setting === '0' || setting === 'false') return false;
  return process.stdout.isTTY === true;
}

/** Where log lines go: pino-pretty (in-thread, so nothing is lost on exit) at a terminal, else stdout. */
function destination(pretty: boolean): DestinationStream | undefined {
  if (!pretty) return undefined;
  return PinoPretty({
    colorize: true,
    translateTime: LOG_TIME_FORMAT,
    // `name` already prefixes the line; `service` and `pid`/`hostname` repeat what the prefix says.
    ignore: 'pid,hostname,service',
    singleLine: true,
  });
}

const SECRET_KEYS = ['password', 'card', 'cvc', 'authorization', 'variables'];
const REDACTED_PATHS = SECRET_KEYS.flatMap((key) =>
  ['', '*.', '*.*.', '*.*.*.'].map((prefix) => `${prefix}${key}`),
);

/**
 * Creates the logger of one process (JSON, or readable at a terminal); `service` lands on every
 * line. `output` replaces stdout (tests read the lines).
 */
export function createLogger(
  config: Pick<Config, 'logLevel' | 'env'>,
  service: string,
  output?: DestinationStream,
): Logger {
  const options = {
    name: service,
    level: config.env === 'test' && config.logLevel === 'info' ? 'warn' : config.logLevel,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // trace_id/span_id of the active span, so a log line leads to its trace (nothing when off).
    mixin: activeTraceIds,
    redact: {
      // Wherever a password, a card or a token sits up to four levels down (a GraphQL input, its
      // variables, a request): pino's wildcards match one level each.
      paths: REDACTED_PATHS,
      censor: '[redacted]',
    },
  };
  const stream = output ?? destination(config.env !== 'test' && wantsPrettyLogs());
  return stream ? pino(options, stream) : pino(options);
}
