import {
  createLogger,
  openDatabase,
  readinessCheck,
  startServiceMessaging,
  startSubgraph,
  ServiceTokens,
  TokenService,
  type Config,
  type Logger,
  type RetryPolicy,
  type RunningServer,
  type ServiceMessaging,
} from '@airline/shared';
import { database } from './database.ts';
import type { PaymentsContext } from './context.ts';
import { internalPaymentRoutes } from './http/internal-payments.ts';
import { paymentRecordRoutes } from './http/payment-records.ts';
import { startPaymentConsumers } from './messaging/consumers.ts';
import { ChargeRunner } from './payment/charge-runner.ts';
import { createPaymentLoaders } from './payment/payment-loaders.ts';
import { PaymentIntake } from './payment/payment-intake.ts';
import { PaymentRecovery, type SweepReport } from './payment/payment-recovery.ts';
import { Refunds } from './payment/refunds.ts';
import { PaymentProviderClient, type PaymentProviderClientOptions } from './provider/index.ts';
import { resolvers } from './resolvers/index.ts';

/** Start-up options beyond configuration (tests pick port 0, short leases and fast sweeps). */
export interface PaymentsOptions {
  port?: number;
  /** Adapter tuning (timeouts, retries, breaker); the URL is `config.paymentProviderUrl`. */
  provider?: Omit<PaymentProviderClientOptions, 'baseUrl' | 'logger'>;
  /** How long a charge may run before recovery settles its payment from the provider's records. */
  chargeLeaseMs?: number;
  /** Pause between recovery sweeps. */
  recoveryIntervalMs?: number;
  /** How long after a failure with timeouts the provider is asked whether it charged anyway. */
  reconcileAfterMs?: number;
  /** How long stopping waits for charges in flight before abandoning them to recovery. */
  shutdownGraceMs?: number;
  /** Charges running at once before new payments get PAYMENT_UNAVAILABLE. */
  maxInFlightCharges?: number;
  /** Retries of a failed RefundPayment before it is dead-lettered. */
  refundRetry?: RetryPolicy;
  /** Where the service logs (tests read it); a JSON logger on stdout otherwise. */
  logger?: Logger;
}

/** The running service; the extras let tests drive recovery instead of waiting for its timer. */
export interface PaymentsServer extends RunningServer {
  /** Runs one recovery sweep now. */
  sweep(): Promise<SweepReport>;
  /** Resolves when no charge is running in this process. */
  chargesIdle(): Promise<void>;
}

// A charge takes at most maxAttempts × timeout plus the backoff between them (about 15 s with
// the adapter's defaults); the lease leaves room beyond that before recovery may step in.
const DEFAULT_CHARGE_LEASE_MS = 60_000;

/**
 * Opens the payments database, connects RabbitMQ, starts the outbox relay, the refund consumer
 * and payment recovery, and serves the subgraph plus `POST /internal/payments`.
 */
export async function startPayments(
  config: Config,
  options: PaymentsOptions = {},
): Promise<PaymentsServer> {
  const logger = options.logger ?? createLogger(config, 'payments');
  const orm = await openDatabase(config, database, logger);
  const provider = new PaymentProviderClient({
    ...options.provider,
    baseUrl: config.paymentProviderUrl,
    logger,
  });
  const runner = new ChargeRunner({ orm, provider, logger });
  const recovery = new PaymentRecovery({
    orm,
    provider,
    logger,
    isCharging: (id) => runner.isCharging(id),
    intervalMs: options.recoveryIntervalMs ?? config.payments.recoveryIntervalMs,
    reconcileAfterMs: options.reconcileAfterMs ?? DEFAULT_CHARGE_LEASE_MS,
  });
  let messaging: ServiceMessaging | undefined;

  // In-flight charges settle (or are abandoned to recovery) while the database and the outbox
  // relay are still up; the relay stops after the last event is enqueued.
  const stopBackground = async (): Promise<void> => {
    await runner.stop(options.shutdownGraceMs ?? 5_000);
    await recovery.stop();
    // Queues outlive the process (a restart loses nothing); test suites delete theirs in cleanup.
    await messaging?.stop();
    await orm.close();
  };

  try {
    messaging = await startServiceMessaging(config, logger, 'payments', orm);
    await startPaymentConsumers(messaging, new Refunds(orm, provider, logger), options.refundRetry);
    recovery.start();
    const intake = new PaymentIntake({
      provider,
      runner,
      chargeLeaseMs: options.chargeLeaseMs ?? config.payments.chargeLeaseMs,
      maxInFlightCharges: options.maxInFlightCharges ?? 200,
    });
    const { amqp } = messaging;
    const tokens = new TokenService(config.jwt);
    const server = await startSubgraph<PaymentsContext>({
      name: 'payments',
      schemaFile: new URL('../schema.graphql', import.meta.url),
      resolvers,
      config,
      logger,
      orm,
      tokens,
      port: options.port ?? config.ports.payments,
      buildContext: (base) => ({ ...base, loaders: createPaymentLoaders(base.em) }),
      extraRoutes: (app) => {
        const serviceTokens = new ServiceTokens(config.serviceSecret, 'payments');
        internalPaymentRoutes({ serviceTokens, intake, orm, logger })(app);
        // What bookings' saga reconciler reads when a saga stopped moving.
        paymentRecordRoutes({ serviceTokens, orm, logger })(app);
      },
      readiness: [
        readinessCheck.postgres(orm),
        readinessCheck.rabbitmq(amqp),
        {
          // Not ready while new payments would be refused; liveness is unaffected.
          name: 'payment-provider',
          check: async () => {
            if (provider.failingFast) throw new Error('payment provider circuit breaker is open');
          },
        },
      ],
      onStop: stopBackground,
    });
    return { ...server, sweep: () => recovery.sweep(), chargesIdle: () => runner.idle() };
  } catch (err) {
    await stopBackground().catch((cleanupErr: unknown) =>
      logger.error({ err: cleanupErr }, 'payments start-up cleanup failed'),
    );
    throw err;
  }
}
