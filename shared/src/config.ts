import { z } from 'zod';

/** Names of the processes in the supergraph, used for ports, database names and queue prefixes. */
export const SERVICES = ['customers', 'flights', 'bookings', 'payments', 'notifications'] as const;
/** One subgraph's name. */
export type ServiceName = (typeof SERVICES)[number];

const DEV_JWT_SECRET = 'local-development-secret-not-for-production-use';
const DEV_SERVICE_SECRET = 'local-development-service-secret-not-for-production';
const DEV_AGENT_EMAIL = 'agent@airline.test';
const DEV_AGENT_PASSWORD = 'agent-password-123';
/** The development defaults written in this repository (tests check production refuses them). */
export const DEV_SECRETS = { jwt: DEV_JWT_SECRET, service: DEV_SERVICE_SECRET } as const;
/** Secrets written in this repository (defaults, examples): production refuses every one of them. */
const KNOWN_SECRETS = new Set([
  DEV_JWT_SECRET,
  DEV_SERVICE_SECRET,
  DEV_AGENT_PASSWORD,
  'change-me-in-production-please-32chars',
]);

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
/** A limit whose default is generous in development and tests, strict in production. */
const limit = () => z.coerce.number().int().min(0).optional();
const csv = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    POSTGRES_URL: z.url().default('postgres://postgres@127.0.0.1:5432'),
    REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
    AMQP_URL: z.url().default('amqp://guest:guest@127.0.0.1:5672'),
    // Isolation knobs: tests give every suite its own databases, Redis keys and AMQP names.
    DB_PREFIX: z
      .string()
      .regex(/^[a-z0-9_]*$/, 'lower-case letters, digits and _ only')
      .default(''),
    REDIS_PREFIX: z.string().default('airline:'),
    AMQP_PREFIX: z.string().default(''),
    GATEWAY_PORT: port(4000),
    CUSTOMERS_PORT: port(4001),
    FLIGHTS_PORT: port(4002),
    BOOKINGS_PORT: port(4003),
    PAYMENTS_PORT: port(4004),
    NOTIFICATIONS_PORT: port(4005),
    PAYMENT_PROVIDER_PORT: port(4010),
    // The reference web app (web/): `npm start` serves it here.
    WEB_PORT: port(5173),
    PAYMENT_PROVIDER_URL: z.url().optional(),
    SEAT_HOLD_TTL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(600),
    JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
    JWT_PRIVATE_KEY: z.string().optional(),
    JWT_PUBLIC_KEY: z.string().optional(),
    JWT_ISSUER: z.string().default('airline-supergraph'),
    JWT_AUDIENCE: z.string().default('airline-api'),
    JWT_TTL_SECONDS: z.coerce.number().int().min(60).default(3600),
    AGENT_EMAIL: z.email().optional(),
    AGENT_PASSWORD: z.string().min(10).optional(),
    SERVICE_SECRET: z.string().min(32, 'SERVICE_SECRET must be at least 32 characters').optional(),
    CORS_ORIGINS: csv,
    // false, a hop count ("1": one load balancer in front) or the proxies' addresses/subnets.
    TRUST_PROXY: z.string().default('false'),
    RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: limit(),
    LOGIN_FREE_FAILURES: limit(),
    LOGIN_ACCOUNT_FREE_FAILURES: limit(),
    LOGIN_MAX_BACKOFF_SECONDS: limit(),
    RATE_LIMIT_REGISTER_PER_IP_PER_MINUTE: limit(),
    RATE_LIMIT_BOOKINGS_PER_IP_PER_MINUTE: limit(),
    RATE_LIMIT_BOOKINGS_PER_CUSTOMER_PER_MINUTE: limit(),
    MAX_LIVE_HOLDS_PER_CUSTOMER: limit(),
    MAX_SEATS_PER_BOOKING: z.coerce.number().int().min(1).max(50).default(9),
    PASSWORD_SCRYPT_LOG_N: z.coerce.number().int().min(10).max(20).default(17),
    FLIGHTS_INTERNAL_URL: z.url().optional(),
    PAYMENTS_INTERNAL_URL: z.url().optional(),
    GATEWAY_MAX_DEPTH: z.coerce.number().int().min(1).max(50).default(12),
    // Notifications: where messages go; the defaults are the local sinks `npm start` runs.
    SMTP_URL: z.url().default('smtp://127.0.0.1:2525'),
    MAIL_FROM: z.string().min(3).default('Airline <no-reply@airline.test>'),
    SMS_PROVIDER_URL: z.url().default('http://127.0.0.1:4020/sms'),
    SMS_PROVIDER_API_KEY: z.string().default('local-sms-key'),
    PUSH_PROVIDER_URL: z.url().default('http://127.0.0.1:4020/push'),
    PUSH_PROVIDER_API_KEY: z.string().default('local-push-key'),
    CUSTOMERS_INTERNAL_URL: z.url().optional(),
    NOTIFICATIONS_REMINDER_HOURS: z.coerce.number().min(1).max(168).default(24),
    NOTIFICATIONS_REFUND_WAIT_SECONDS: z.coerce.number().int().min(0).max(86_400).default(120),
    // Messaging: a message that fails transiently is retried with backoff from BASE up to
    // MAX_DELAY between attempts, for FOR_HOURS after its first failure, then dead-lettered.
    MESSAGE_RETRY_BASE_MS: z.coerce.number().int().min(10).default(1_000),
    MESSAGE_RETRY_MAX_DELAY_MS: z.coerce.number().int().min(10).default(300_000),
    MESSAGE_RETRY_FOR_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 30)
      .default(24),
    // Bookings' saga reconciler: a saga that has not moved for STUCK_AFTER is settled from the
    // source of truth (payments, flights); it looks every RECONCILE_INTERVAL.
    SAGA_STUCK_AFTER_SECONDS: z.coerce.number().int().min(1).default(300),
    SAGA_RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(30),
    // Payments' crash recovery: a charge's lease, after which recovery settles its payment from
    // the provider's records, and how often recovery looks.
    PAYMENT_CHARGE_LEASE_SECONDS: z.coerce.number().int().min(5).default(60),
    PAYMENT_RECOVERY_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(30),
  })
  .superRefine((env, ctx) => {
    if (parseTrustProxy(env.TRUST_PROXY) === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['TRUST_PROXY'],
        message:
          'false, true is refused (it trusts any client); give a hop count or proxy addresses',
      });
    }
    if (env.NODE_ENV !== 'production') return;
    const refuse = (message: string) => ctx.addIssue({ code: 'custom', message });
    // Only a process that signs customer tokens (customers) holds the private key; the others may
    // hold just the public key, which the TokenService accepts.
    if (!env.JWT_SECRET && !env.JWT_PUBLIC_KEY) {
      refuse('production needs JWT_PUBLIC_KEY (+ JWT_PRIVATE_KEY in customers) or JWT_SECRET');
    }
    if (env.JWT_SECRET && KNOWN_SECRETS.has(env.JWT_SECRET))
      refuse('JWT_SECRET is a development default written in the repository');
    if (!env.SERVICE_SECRET) refuse('production needs SERVICE_SECRET (32+ characters)');
    else if (KNOWN_SECRETS.has(env.SERVICE_SECRET) || env.SERVICE_SECRET === env.JWT_SECRET)
      refuse('SERVICE_SECRET must be its own secret, not a default or JWT_SECRET');
    if (!env.AGENT_EMAIL || !env.AGENT_PASSWORD) {
      refuse('production needs AGENT_EMAIL and AGENT_PASSWORD set explicitly');
    } else if (KNOWN_SECRETS.has(env.AGENT_PASSWORD) || env.AGENT_PASSWORD.length < 12) {
      refuse('AGENT_PASSWORD is a documented default or shorter than 12 characters');
    }
  });

/**
 * Which proxies' X-Forwarded-For to believe, in Express's `trust proxy` terms: false (none), a
 * hop count, or addresses/subnets. `true` would trust whatever the client writes, so it is refused.
 */
export type TrustProxy = false | number | string[];

function parseTrustProxy(raw: string): TrustProxy | undefined {
  const value = raw.trim().toLowerCase();
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Limits on what one client or customer may do (DESIGN: strict in production). */
export interface Limits {
  loginPerIpPerMinute: number;
  /** Consecutive failed logins for one account from one address before back-off starts. */
  loginFreeFailures: number;
  /** Failed logins for one account from all addresses before back-off starts for everyone. */
  loginAccountFreeFailures: number;
  loginMaxBackoffSeconds: number;
  registerPerIpPerMinute: number;
  bookingsPerIpPerMinute: number;
  bookingsPerCustomerPerMinute: number;
  /** Bookings holding seats (HELD, PAYMENT_PENDING) one customer may have at once. */
  maxLiveHoldsPerCustomer: number;
  maxSeatsPerBooking: number;
  /** scrypt cost as log2(N); OWASP asks 17. Tests lower it to keep the suite fast. */
  passwordScryptLogN: number;
}

/** The validated configuration every process reads once at start-up. */
export interface Config {
  env: 'development' | 'test' | 'production';
  logLevel: string;
  postgresUrl: string;
  redisUrl: string;
  amqpUrl: string;
  dbPrefix: string;
  redisPrefix: string;
  amqpPrefix: string;
  ports: Record<ServiceName | 'gateway' | 'paymentProvider', number>;
  paymentProviderUrl: string;
  /** Base URLs of the internal (non-GraphQL) endpoints services call each other on. */
  internalUrls: { flights: string; payments: string };
  seatHoldTtlSeconds: number;
  jwt: {
    secret?: string;
    privateKey?: string;
    publicKey?: string;
    issuer: string;
    audience: string;
    ttlSeconds: number;
  };
  agent: { email: string; password: string };
  /** Signs and verifies service credentials (gateway -> subgraph, service -> service). */
  serviceSecret: string;
  corsOrigins: string[];
  /**
   * The reference web app: its port, and the browser origins the gateway admits for it (in
   * development http://localhost and http://127.0.0.1 on that port; elsewhere CORS_ORIGINS says).
   */
  web: { port: number; origins: string[] };
  trustProxy: TrustProxy;
  limits: Limits;
  /** Deepest operation the gateway accepts (introspection excluded, Sandbox needs it). */
  maxQueryDepth: number;
  /** Where the notifications service delivers and what it asks other services. */
  notifications: NotificationsConfig;
  /** How consumers retry a message that fails transiently before dead-lettering it. */
  messaging: { retry: { baseDelayMs: number; maxDelayMs: number; retryForMs: number } };
  /** When bookings' reconciler considers a saga stuck, and how often it looks. */
  saga: { stuckAfterMs: number; reconcileIntervalMs: number };
  /** Payments' crash recovery: the lease of a running charge and the sweep interval. */
  payments: { chargeLeaseMs: number; recoveryIntervalMs: number };
}

/** The notifications service's channels (SMTP, SMS and push providers) and timing. */
export interface NotificationsConfig {
  smtpUrl: string;
  /** The From header of every e-mail. */
  mailFrom: string;
  sms: { url: string; apiKey: string };
  push: { url: string; apiKey: string };
  /** Base URL of customers' internal endpoints (contact details). */
  customersUrl: string;
  /** How long before departure the reminder goes out. */
  reminderHoursBefore: number;
  /** How long a cancellation message waits for its refund to be recorded before it goes anyway. */
  refundWaitSeconds: number;
}

/** Thrown when the environment does not describe a runnable configuration. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates configuration from environment variables (defaults work on a developer machine). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`)
      .join('; ');
    throw new ConfigError(`invalid configuration: ${detail}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const pick = (value: number | undefined, dev: number, prod: number) =>
    value ?? (production ? prod : dev);
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    postgresUrl: e.POSTGRES_URL.replace(/\/+$/, ''),
    redisUrl: e.REDIS_URL,
    amqpUrl: e.AMQP_URL,
    dbPrefix: e.DB_PREFIX,
    redisPrefix: e.REDIS_PREFIX,
    amqpPrefix: e.AMQP_PREFIX,
    ports: {
      gateway: e.GATEWAY_PORT,
      customers: e.CUSTOMERS_PORT,
      flights: e.FLIGHTS_PORT,
      bookings: e.BOOKINGS_PORT,
      payments: e.PAYMENTS_PORT,
      notifications: e.NOTIFICATIONS_PORT,
      paymentProvider: e.PAYMENT_PROVIDER_PORT,
    },
    paymentProviderUrl: e.PAYMENT_PROVIDER_URL ?? `http://127.0.0.1:${e.PAYMENT_PROVIDER_PORT}`,
    internalUrls: {
      flights: e.FLIGHTS_INTERNAL_URL ?? `http://127.0.0.1:${e.FLIGHTS_PORT}`,
      payments: e.PAYMENTS_INTERNAL_URL ?? `http://127.0.0.1:${e.PAYMENTS_PORT}`,
    },
    seatHoldTtlSeconds: e.SEAT_HOLD_TTL_SECONDS,
    jwt: {
      secret: e.JWT_SECRET ?? (e.JWT_PRIVATE_KEY ? undefined : DEV_JWT_SECRET),
      privateKey: e.JWT_PRIVATE_KEY,
      publicKey: e.JWT_PUBLIC_KEY,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      ttlSeconds: e.JWT_TTL_SECONDS,
    },
    agent: {
      email: e.AGENT_EMAIL ?? DEV_AGENT_EMAIL,
      password: e.AGENT_PASSWORD ?? DEV_AGENT_PASSWORD,
    },
    serviceSecret: e.SERVICE_SECRET ?? DEV_SERVICE_SECRET,
    corsOrigins: e.CORS_ORIGINS,
    web: {
      port: e.WEB_PORT,
      origins:
        e.NODE_ENV === 'development'
          ? [`http://localhost:${e.WEB_PORT}`, `http://127.0.0.1:${e.WEB_PORT}`]
          : [],
    },
    trustProxy: parseTrustProxy(e.TRUST_PROXY) ?? false,
    limits: {
      loginPerIpPerMinute: pick(e.RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE, 300, 30),
      loginFreeFailures: pick(e.LOGIN_FREE_FAILURES, 5, 5),
      loginAccountFreeFailures: pick(e.LOGIN_ACCOUNT_FREE_FAILURES, 50, 20),
      loginMaxBackoffSeconds: pick(e.LOGIN_MAX_BACKOFF_SECONDS, 900, 900),
      registerPerIpPerMinute: pick(e.RATE_LIMIT_REGISTER_PER_IP_PER_MINUTE, 1000, 5),
      bookingsPerIpPerMinute: pick(e.RATE_LIMIT_BOOKINGS_PER_IP_PER_MINUTE, 3000, 60),
      bookingsPerCustomerPerMinute: pick(e.RATE_LIMIT_BOOKINGS_PER_CUSTOMER_PER_MINUTE, 600, 10),
      maxLiveHoldsPerCustomer: pick(e.MAX_LIVE_HOLDS_PER_CUSTOMER, 4, 4),
      maxSeatsPerBooking: e.MAX_SEATS_PER_BOOKING,
      passwordScryptLogN: e.PASSWORD_SCRYPT_LOG_N,
    },
    maxQueryDepth: e.GATEWAY_MAX_DEPTH,
    notifications: {
      smtpUrl: e.SMTP_URL,
      mailFrom: e.MAIL_FROM,
      sms: { url: e.SMS_PROVIDER_URL, apiKey: e.SMS_PROVIDER_API_KEY },
      push: { url: e.PUSH_PROVIDER_URL, apiKey: e.PUSH_PROVIDER_API_KEY },
      customersUrl: e.CUSTOMERS_INTERNAL_URL ?? `http://127.0.0.1:${e.CUSTOMERS_PORT}`,
      reminderHoursBefore: e.NOTIFICATIONS_REMINDER_HOURS,
      refundWaitSeconds: e.NOTIFICATIONS_REFUND_WAIT_SECONDS,
    },
    messaging: {
      retry: {
        baseDelayMs: e.MESSAGE_RETRY_BASE_MS,
        maxDelayMs: Math.max(e.MESSAGE_RETRY_BASE_MS, e.MESSAGE_RETRY_MAX_DELAY_MS),
        retryForMs: Math.round(e.MESSAGE_RETRY_FOR_HOURS * 60 * 60 * 1000),
      },
    },
    saga: {
      stuckAfterMs: e.SAGA_STUCK_AFTER_SECONDS * 1000,
      reconcileIntervalMs: e.SAGA_RECONCILE_INTERVAL_SECONDS * 1000,
    },
    payments: {
      chargeLeaseMs: e.PAYMENT_CHARGE_LEASE_SECONDS * 1000,
      recoveryIntervalMs: e.PAYMENT_RECOVERY_INTERVAL_SECONDS * 1000,
    },
  };
}

/** The database name a service uses under the configured prefix. */
export function databaseName(config: Config, service: ServiceName): string {
  return `${config.dbPrefix}${service}`;
}
