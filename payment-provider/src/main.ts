import { createLogger } from '@airline/shared';
import { startPaymentProvider } from './server.ts';

// The shared logger, so the simulator's lines look like every other process's (ISO time, pretty
// at a terminal); it reads no other configuration, hence the two settings straight from the env.
const logger = createLogger(
  { logLevel: process.env.LOG_LEVEL ?? 'info', env: 'development' },
  'payment-provider',
);
const port = Number(process.env.PAYMENT_PROVIDER_PORT ?? 4010);
const host = process.env.PAYMENT_PROVIDER_HOST ?? '127.0.0.1';
const slowResponseMs = process.env.PAYMENT_PROVIDER_SLOW_MS
  ? Number(process.env.PAYMENT_PROVIDER_SLOW_MS)
  : undefined;

const provider = await startPaymentProvider({
  port,
  host,
  logger,
  ...(slowResponseMs === undefined ? {} : { slowResponseMs }),
}).catch((err: unknown) => {
  // One clear line instead of a stack trace: the usual cause is another simulator on the port.
  logger.fatal(`payment provider simulator could not listen on ${host}:${port}: ${String(err)}`);
  process.exit(1);
});
logger.info({ url: provider.url }, 'payment provider simulator listening');

let closing = false;
const shutdown = (signal: NodeJS.Signals): void => {
  if (closing) return;
  closing = true;
  logger.info({ signal }, 'payment provider simulator stopping');
  provider.close().then(
    () => process.exit(0),
    (err: unknown) => {
      logger.error({ err }, 'payment provider simulator did not close cleanly');
      process.exit(1);
    },
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
