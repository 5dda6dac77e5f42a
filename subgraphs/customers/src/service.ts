import {
  RateLimit,
  ServiceTokens,
  TokenService,
  createLogger,
  createRedis,
  openDatabase,
  readinessCheck,
  startSubgraph,
  type Config,
  type RunningServer,
} from '@airline/shared';
import { database } from './database.ts';
import { Accounts } from './customer/accounts.ts';
import { createCustomerLoaders } from './customer/customer-loaders.ts';
import { LoginThrottle, type LoginLimits } from './customer/login-throttle.ts';
import { PasswordHasher, type HashingLimits } from './customer/password-hasher.ts';
import type { CustomersContext } from './context.ts';
import { internalRoutes } from './http/internal-routes.ts';
import { resolvers } from './resolvers/index.ts';

/** Start-up options beyond configuration (tests pick port 0 and tighter limits). */
export interface CustomersOptions {
  port?: number;
  /** Overrides `config.limits` for logins. */
  throttle?: Partial<LoginLimits>;
  hashing?: HashingLimits;
}

/** Opens the customers database, seeds the agent account and serves the subgraph. */
export async function startCustomers(
  config: Config,
  options: CustomersOptions = {},
): Promise<RunningServer> {
  const logger = createLogger(config, 'customers');
  const orm = await openDatabase(config, database, logger);
  const redis = createRedis(config, 'customers');
  const tokens = new TokenService(config.jwt);
  const accounts = new Accounts({
    tokens,
    hasher: new PasswordHasher(config.limits.passwordScryptLogN, options.hashing),
    loginThrottle: new LoginThrottle(redis, { ...config.limits, ...options.throttle }),
    signUpLimit: new RateLimit(redis, {
      name: 'register:ip',
      points: config.limits.registerPerIpPerMinute,
      windowSeconds: 60,
      message: 'Too many sign-ups from your network',
    }),
    ttlSeconds: config.jwt.ttlSeconds,
  });
  await accounts.ensureAgent(orm.em.fork(), config.agent.email, config.agent.password);

  return startSubgraph<CustomersContext>({
    name: 'customers',
    schemaFile: new URL('../schema.graphql', import.meta.url),
    resolvers,
    config,
    logger,
    orm,
    tokens,
    port: options.port ?? config.ports.customers,
    buildContext: (base) => ({ ...base, accounts, loaders: createCustomerLoaders(base.em) }),
    // Contact details for notifications (service credential only).
    extraRoutes: internalRoutes({
      orm,
      serviceTokens: new ServiceTokens(config.serviceSecret, 'customers'),
      logger,
    }),
    readiness: [readinessCheck.postgres(orm), readinessCheck.redis(redis)],
    onStop: async () => {
      redis.disconnect();
      await orm.close();
    },
  });
}
