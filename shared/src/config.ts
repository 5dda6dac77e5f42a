import { z } from 'zod';

/** Names of the processes in the supergraph, used for ports, database names and queue prefixes. */
export const SERVICES = ['customers', 'flights', 'bookings', 'payments', 'notifications'] as const;
/** One subgraph's name. */
export type ServiceName = (typeof SERVICES)[number];

const DEV_JWT_SECRET = 'local-development-secret-not-for-production-use';
const DEV_AGENT_EMAIL = 'agent@airline.test';
const DEV_AGENT_PASSWORD = 'agent-password-123';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
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
    PAYMENT_PROVIDER_URL: z.url().optional(),
    SEAT_HOLD_TTL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(600),
    JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
    JWT_PRIVATE_KEY: z.string().optional(),
    JWT_PUBLIC_KEY: z.string().optional(),
    JWT_ISSUER: z.string().default('airline-supergraph'),
    JWT_TTL_SECONDS: z.coerce.number().int().min(60).default(3600),
    AGENT_EMAIL: z.email().optional(),
    AGENT_PASSWORD: z.string().min(10).optional(),
    CORS_ORIGINS: csv,
    TRUST_PROXY: z.stringbool().default(false),
    FLIGHTS_INTERNAL_URL: z.url().optional(),
    PAYMENTS_INTERNAL_URL: z.url().optional(),
    GATEWAY_MAX_DEPTH: z.coerce.number().int().min(1).max(50).default(12),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    if (!env.JWT_SECRET && !(env.JWT_PRIVATE_KEY && env.JWT_PUBLIC_KEY)) {
      ctx.addIssue({
        code: 'custom',
        message: 'production needs JWT_SECRET or JWT_PRIVATE_KEY + JWT_PUBLIC_KEY',
      });
    }
    if (!env.AGENT_EMAIL || !env.AGENT_PASSWORD) {
      ctx.addIssue({
        code: 'custom',
        message: 'production needs AGENT_EMAIL and AGENT_PASSWORD set explicitly',
      });
    }
  });

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
    ttlSeconds: number;
  };
  agent: { email: string; password: string };
  corsOrigins: string[];
  trustProxy: boolean;
  /** Deepest operation the gateway accepts (introspection excluded, Sandbox needs it). */
  maxQueryDepth: number;
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
      ttlSeconds: e.JWT_TTL_SECONDS,
    },
    agent: {
      email: e.AGENT_EMAIL ?? DEV_AGENT_EMAIL,
      password: e.AGENT_PASSWORD ?? DEV_AGENT_PASSWORD,
    },
    corsOrigins: e.CORS_ORIGINS,
    trustProxy: e.TRUST_PROXY,
    maxQueryDepth: e.GATEWAY_MAX_DEPTH,
  };
}

/** The database name a service uses under the configured prefix. */
export function databaseName(config: Config, service: ServiceName): string {
  return `${config.dbPrefix}${service}`;
}
