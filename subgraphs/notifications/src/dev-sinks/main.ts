// `npm start` runs this beside the services: the local mail server and SMS/push providers the
// notifications service delivers to, with a page listing what they received.
import { startSinks } from './sinks.ts';

const port = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`sinks: ${name} must be a port number`);
    process.exit(1);
  }
  return value;
};

const sinks = await startSinks(
  { smtp: port('SINK_SMTP_PORT', 2525), http: port('SINK_HTTP_PORT', 4020) },
  process.env.HOST ?? '127.0.0.1',
).catch((err: unknown) => {
  console.error(`sinks: failed to start: ${(err as Error).message}`);
  process.exit(1);
});
console.log(
  `sinks: SMTP on ${sinks.smtpUrl}; SMS and push providers and the message viewer on ${sinks.httpUrl}`,
);

const stop = async () => {
  await sinks.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
