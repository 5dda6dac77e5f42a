import {
  ServiceTokens,
  TokenService,
  createLogger,
  databaseName,
  openDatabase,
  readinessCheck,
  startServiceMessaging,
  startSubgraph,
  type Config,
  type Logger,
  type RunningServer,
} from '@airline/shared';
import { database } from './database.ts';
import { CustomersClient, type ContactsPort } from './clients/customers-client.ts';
import { FlightsClient, type FlightDetailsPort } from './clients/flights-client.ts';
import { Composer, type ComposerOptions } from './composing/composer.ts';
import { MessageTemplates } from './composing/templates.ts';
import type { NotificationsContext } from './context.ts';
import type { ChannelAdapter } from './delivery/channel-adapter.ts';
import { ChannelSender, type SenderOptions } from './delivery/channel-sender.ts';
import { PushChannel, SmsChannel } from './delivery/http-provider-channel.ts';
import { DEFAULT_RETRY_SCHEDULE } from './delivery/retry-schedule.ts';
import { SmtpChannel } from './delivery/smtp-channel.ts';
import { internalRoutes } from './http/internal-routes.ts';
import { startConsumers } from './messaging/consumers.ts';
import { createNotificationLoaders } from './notification/notification-loaders.ts';
import { Channel, CHANNELS } from './notification/vocabulary.ts';
import { resolvers } from './resolvers/index.ts';
import { WorkSignal } from './work-signal.ts';

/** Start-up options beyond configuration (tests pick ports, faster polls and retries). */
export interface NotificationsOptions {
  port?: number;
  /** Per channel: senders' tuning (concurrency, retries, breaker). */
  senders?: Partial<Record<Channel, Partial<SenderOptions>>>;
  composer?: Partial<ComposerOptions>;
  /** Replace a channel's transport (tests); otherwise SMTP, SMS and push from the configuration. */
  adapters?: Partial<Record<Channel, ChannelAdapter>>;
  contacts?: ContactsPort;
  flights?: FlightDetailsPort;
  logger?: Logger;
  now?: () => Date;
}

/** How each channel is sent by default: e-mail has the most connections, all have their own. */
export const DEFAULT_SENDER_OPTIONS: Record<Channel, SenderOptions> = {
  EMAIL: {
    concurrency: 16,
    pollMs: 1_000,
    leaseMs: 60_000,
    retry: DEFAULT_RETRY_SCHEDULE,
    breaker: { failuresToOpen: 10, halfOpenAfterMs: 15_000 },
  },
  SMS: {
    concurrency: 16,
    pollMs: 1_000,
    leaseMs: 60_000,
    retry: DEFAULT_RETRY_SCHEDULE,
    breaker: { failuresToOpen: 10, halfOpenAfterMs: 15_000 },
  },
  PUSH: {
    concurrency: 16,
    pollMs: 1_000,
    leaseMs: 60_000,
    retry: DEFAULT_RETRY_SCHEDULE,
    breaker: { failuresToOpen: 10, halfOpenAfterMs: 15_000 },
  },
};

/**
 * Opens the notifications database, starts the event consumers, the composer and one sender
 * per channel, and serves the subgraph (`Customer.notifications`, `Booking.notifications`,
 * preferences, agents' replays). Stops in reverse: no new work is taken, sends in flight finish
 * and are recorded, then the connections close.
 */
export async function startNotifications(
  config: Config,
  options: NotificationsOptions = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config, 'notifications');
  const now = options.now ?? (() => new Date());
  const closers: (() => Promise<void> | void)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        logger.warn({ err }, 'notifications: error while stopping');
      }
    }
  };

  try {
    // Templates first: a broken template stops start-up, not a message later.
    const templates = MessageTemplates.load();
    const orm = await openDatabase(config, database, logger);
    closers.push(() => orm.close());

    const serviceTokens = new ServiceTokens(config.serviceSecret, 'notifications');
    const senders = CHANNELS.map(
      (channel) =>
        new ChannelSender(
          orm,
          options.adapters?.[channel] ?? defaultAdapter(config, channel),
          { ...DEFAULT_SENDER_OPTIONS[channel], ...options.senders?.[channel] },
          logger,
        ),
    );
    const deliverNow = () => senders.forEach((s) => s.kick());
    const composer = new Composer(
      orm,
      {
        contacts:
          options.contacts ?? new CustomersClient(config.notifications.customersUrl, serviceTokens),
        flights: options.flights ?? new FlightsClient(config.internalUrls.flights, serviceTokens),
      },
      templates,
      {
        batchSize: 100,
        pollMs: 1_000,
        leaseMs: 60_000,
        reminderHoursBefore: config.notifications.reminderHoursBefore,
        retry: { baseDelayMs: 2_000, factor: 2, maxDelayMs: 5 * 60_000 },
        now,
        ...options.composer,
      },
      logger,
      deliverNow,
    );
    const signal = new WorkSignal(
      `${config.postgresUrl}/${databaseName(config, 'notifications')}`,
      logger,
      (kind) => (kind === 'compose' ? composer.kick() : deliverNow()),
    );
    await signal.start();
    closers.push(() => signal.stop());
    // Senders stop after the composer (closers run in reverse), each finishing its sends.
    for (const sender of senders) {
      sender.start();
      closers.push(() => sender.stop());
    }
    composer.start();
    closers.push(() => composer.stop());

    const messaging = await startServiceMessaging(config, logger, 'notifications', orm);
    closers.push(() => messaging.stop());
    await startConsumers(
      messaging,
      {
        now,
        reminderHoursBefore: config.notifications.reminderHoursBefore,
        refundWaitSeconds: config.notifications.refundWaitSeconds,
      },
      templates,
    );

    return await startSubgraph<NotificationsContext>({
      name: 'notifications',
      schemaFile: new URL('../schema.graphql', import.meta.url),
      resolvers,
      config,
      logger,
      orm,
      tokens: new TokenService(config.jwt),
      port: options.port ?? config.ports.notifications,
      buildContext: (base) => ({
        ...base,
        loaders: createNotificationLoaders(base.em),
        deliverNow,
      }),
      extraRoutes: internalRoutes({ orm, serviceTokens, logger }),
      readiness: [readinessCheck.postgres(orm), readinessCheck.rabbitmq(messaging.amqp)],
      onStop: closeAll,
    });
  } catch (err) {
    await closeAll();
    throw err;
  }
}

function defaultAdapter(config: Config, channel: Channel): ChannelAdapter {
  const n = config.notifications;
  switch (channel) {
    case Channel.EMAIL:
      return new SmtpChannel(n.smtpUrl, {
        from: n.mailFrom,
        maxConnections: DEFAULT_SENDER_OPTIONS.EMAIL.concurrency,
        timeoutMs: 15_000,
      });
    case Channel.SMS:
      return new SmsChannel({ ...n.sms, timeoutMs: 5_000 });
    case Channel.PUSH:
      return new PushChannel({ ...n.push, timeoutMs: 5_000 });
  }
}
