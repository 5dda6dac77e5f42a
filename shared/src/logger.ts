import { pino, type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger } from 'pino';

/** Creates the JSON logger of one process; `service` lands on every line. */
export function createLogger(config: Pick<Config, 'logLevel' | 'env'>, service: string): Logger {
  return pino({
    name: service,
    level: config.env === 'test' && config.logLevel === 'info' ? 'warn' : config.logLevel,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', '*.password', '*.card.number', '*.card.cvc'],
      censor: '[redacted]',
    },
  });
}
