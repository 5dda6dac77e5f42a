import { fileURLToPath } from 'node:url';
import type { Config, RunningServer } from '@airline/shared';
import { cleanupTestResources, GraphQLClient, testConfig } from '@airline/shared/testing';
import { composeSupergraph, readSupergraphConfig } from '../../gateway/src/compose.ts';
import { startGateway } from '../../gateway/src/server.ts';
import type { SubscriptionFanout } from '../../gateway/src/subscriptions/index.ts';
import { startCustomers } from '../../subgraphs/customers/src/service.ts';
import { startFlights } from '../../subgraphs/flights/src/service.ts';
import { startBookings } from '../../subgraphs/bookings/src/service.ts';
import { startPayments } from '../../subgraphs/payments/src/service.ts';
import { startPaymentProvider } from '../../payment-provider/src/server.ts';
import { startNotificationsForTests } from '../../subgraphs/notifications/src/testing/test-stack.ts';
import { assertMoneyInvariant } from './money.ts';

const SUPERGRAPH_YAML = fileURLToPath(new URL('../../supergraph.yaml', import.meta.url));

/**
 * Starts one subgraph on `port` (0: a free one); `running` holds the ones started before it (in
 * ORDER). A restart passes the port the subgraph had, so the gateway's supergraph stays valid.
 */
type Starter = (
  config: Config,
  running: Record<string, RunningServer>,
  port: number,
) => Promise<RunningServer>;

/** Start order: a subgraph comes after the ones whose internal endpoints it calls. */
const ORDER = ['customers', 'flights', 'payments', 'bookings', 'notifications'];

/** The subgraphs a test can start, each on a free port. */
const starters: Record<string, Starter> = {
  customers: (config, _running, port) => startCustomers(config, { port }),
  // No seeded schedule: suites schedule the flights they use (scheduleFlight).
  flights: (config, _running, port) => startFlights(config, { port, seedDays: 0 }),
  // Short provider timeouts: 0119 recovers in about a second instead of five.
  payments: (config, _running, port) =>
    startPayments(config, {
      port,
      provider: { timeoutMs: 500, backoff: { initialDelayMs: 20, maxDelayMs: 100 } },
    }),
  bookings: (config, running, port) =>
    startBookings(
      {
        ...config,
        internalUrls: {
          flights: running.flights?.url ?? config.internalUrls.flights,
          payments: running.payments?.url ?? config.internalUrls.payments,
        },
      },
      { port, expirySweepMs: 200 },
    ),
  // With its own SMTP, SMS and push sinks (notificationSinks(config) in a test reads them).
  notifications: startNotificationsForTests,
};

/** A running supergraph for one test suite: its own databases, keys and ports. */
export interface TestStack {
  config: Config;
  gateway: GraphQLClient;
  gatewayUrl: string;
  subgraphs: Record<string, RunningServer>;
  /** The gateway's subscription fan-out (its counts). */
  subscriptions: () => SubscriptionFanout;
  /** Stops one subgraph (as a crash or deploy would) and starts it again on the same port. */
  restart: (name: string, between?: () => Promise<void>) => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * Starts the subgraphs in supergraph.yaml and the gateway over them, in this process, exactly as
 * `npm start` composes them (same schema files, URLs swapped for the test's ports).
 */
export async function startStack(
  label: string,
  overrides: Record<string, string> = {},
): Promise<TestStack> {
  // One payment-provider simulator per stack on a free port; payments finds it in the config.
  const provider = await startPaymentProvider({ port: 0, slowResponseMs: 2_000 });
  const config = testConfig(label, { PAYMENT_PROVIDER_URL: provider.url, ...overrides });
  const names = readSupergraphConfig(SUPERGRAPH_YAML)
    .map((s) => s.name)
    .sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  const subgraphs: Record<string, RunningServer> = {};
  const stopAll = async () => {
    await Promise.all(Object.values(subgraphs).map((s) => s.stop()));
    await provider.close();
  };
  try {
    for (const name of names) {
      const start = starters[name];
      if (!start) throw new Error(`no test starter for subgraph ${name}`);
      subgraphs[name] = await start(config, subgraphs, 0);
    }
    const urls = Object.fromEntries(
      Object.entries(subgraphs).map(([n, s]) => [n, `${s.url}/graphql`]),
    );
    const sdl = composeSupergraph(readSupergraphConfig(SUPERGRAPH_YAML, urls));
    let fanout: SubscriptionFanout | undefined;
    const gateway = await startGateway(
      config,
      { sdl },
      { port: 0, onSubscriptions: (f) => (fanout = f) },
    );
    return {
      config,
      gateway: new GraphQLClient(`${gateway.url}/graphql`),
      gatewayUrl: gateway.url,
      subgraphs,
      subscriptions: () => fanout!,
      restart: async (name, between) => {
        const old = subgraphs[name]!;
        await old.stop();
        await between?.();
        subgraphs[name] = await starters[name]!(config, subgraphs, old.port);
      },
      stop: async () => {
        try {
          // Every suite ends by checking the money against the provider simulator's own records.
          await assertMoneyInvariant(config);
        } finally {
          await gateway.stop();
          await stopAll();
          await cleanupTestResources(config);
        }
      },
    };
  } catch (err) {
    await stopAll();
    await cleanupTestResources(config);
    throw err;
  }
}

/** What a suite that books things gets from `useBookingStack`. */
export interface BookingSuite {
  stack: TestStack;
  gw: GraphQLClient;
  /** The seeded agent's token, to schedule and cancel flights. */
  agent: string;
}

/**
 * Starts a stack for the enclosing test file (beforeAll) and stops it afterwards (afterAll);
 * the returned object is filled in once the stack is up.
 */
export function useBookingStack(
  label: string,
  overrides: Record<string, string> = {},
): BookingSuite {
  const suite = {} as BookingSuite;
  beforeAll(async () => {
    suite.stack = await startStack(label, overrides);
    suite.gw = suite.stack.gateway;
    const { login } = await suite.gw.data<{ login: { token: string } }>(
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: suite.stack.config.agent.email, p: suite.stack.config.agent.password },
    );
    suite.agent = login.token;
  }, 60_000);
  afterAll(() => suite.stack?.stop(), 60_000);
  return suite;
}
