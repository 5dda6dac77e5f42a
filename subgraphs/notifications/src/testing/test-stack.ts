import type { Config, RunningServer } from '@airline/shared';
import { startSinks, type Sinks } from '../dev-sinks/sinks.ts';
import { startNotifications } from '../service.ts';

// The notifications service as the end-to-end stack starts it: with its own sinks on free ports,
// fast polls and a short retry schedule, so a test sees a message dead-letter in about a second.

const sinksOfStack = new Map<string, Sinks>();

/** Test tuning: every channel polls often and gives up after 3 quick attempts. */
const TEST_SENDER = {
  pollMs: 100,
  retry: { maxAttempts: 3, baseDelayMs: 100, factor: 2, maxDelayMs: 1_000 },
  breaker: { failuresToOpen: 20, halfOpenAfterMs: 1_000 },
};

/**
 * Starts notifications for a test stack: the SMTP, SMS and push sinks first, then the service
 * pointed at them and at the stack's customers and flights. `running` holds the subgraphs
 * started before it.
 */
export async function startNotificationsForTests(
  config: Config,
  running: Record<string, RunningServer>,
  port: number,
): Promise<RunningServer> {
  const sinks = await startSinks({ smtp: 0, http: 0 });
  const server = await startNotifications(
    {
      ...config,
      internalUrls: {
        ...config.internalUrls,
        flights: running.flights?.url ?? config.internalUrls.flights,
      },
      notifications: {
        ...config.notifications,
        smtpUrl: sinks.smtpUrl,
        sms: { ...config.notifications.sms, url: `${sinks.httpUrl}/sms` },
        push: { ...config.notifications.push, url: `${sinks.httpUrl}/push` },
        customersUrl: running.customers?.url ?? config.notifications.customersUrl,
      },
    },
    {
      port,
      senders: { EMAIL: TEST_SENDER, SMS: TEST_SENDER, PUSH: TEST_SENDER },
      composer: { pollMs: 100, retry: { baseDelayMs: 200, factor: 2, maxDelayMs: 2_000 } },
    },
  ).catch(async (err: unknown) => {
    await sinks.stop();
    throw err;
  });
  sinksOfStack.set(config.dbPrefix, sinks);
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await sinks.stop();
      sinksOfStack.delete(config.dbPrefix);
    },
  };
}

/** The sinks of a running test stack's notifications service (by the stack's configuration). */
export function notificationSinks(config: Pick<Config, 'dbPrefix'>): Sinks {
  const sinks = sinksOfStack.get(config.dbPrefix);
  if (!sinks) throw new Error('notifications is not running in this stack');
  return sinks;
}
