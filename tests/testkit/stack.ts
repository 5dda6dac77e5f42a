import { fileURLToPath } from 'node:url';
import type { Config, RunningServer } from '@airline/shared';
import { cleanupTestResources, GraphQLClient, testConfig } from '@airline/shared/testing';
import { composeSupergraph, readSupergraphConfig } from '../../gateway/src/compose.ts';
import { startGateway } from '../../gateway/src/server.ts';
import { startCustomers } from '../../subgraphs/customers/src/service.ts';
import { startBookings } from '../../subgraphs/bookings/src/service.ts';

const SUPERGRAPH_YAML = fileURLToPath(new URL('../../supergraph.yaml', import.meta.url));

/** Starts one subgraph on a free port; `running` holds the ones started before it (in ORDER). */
type Starter = (config: Config, running: Record<string, RunningServer>) => Promise<RunningServer>;

/** Start order: a subgraph comes after the ones whose internal endpoints it calls. */
const ORDER = ['customers', 'flights', 'payments', 'bookings', 'notifications'];

/** The subgraphs a test can start, each on a free port. */
const starters: Record<string, Starter> = {
  customers: (config) => startCustomers(config, { port: 0 }),
  bookings: (config, running) =>
    startBookings(
      {
        ...config,
        internalUrls: {
          flights: running.flights?.url ?? config.internalUrls.flights,
          payments: running.payments?.url ?? config.internalUrls.payments,
        },
      },
      { port: 0, expirySweepMs: 200 },
    ),
};

/** A running supergraph for one test suite: its own databases, keys and ports. */
export interface TestStack {
  config: Config;
  gateway: GraphQLClient;
  gatewayUrl: string;
  subgraphs: Record<string, RunningServer>;
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
  const config = testConfig(label, overrides);
  const names = readSupergraphConfig(SUPERGRAPH_YAML)
    .map((s) => s.name)
    .sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  const subgraphs: Record<string, RunningServer> = {};
  const stopAll = async () => {
    await Promise.all(Object.values(subgraphs).map((s) => s.stop()));
  };
  try {
    for (const name of names) {
      const start = starters[name];
      if (!start) throw new Error(`no test starter for subgraph ${name}`);
      subgraphs[name] = await start(config, subgraphs);
    }
    const urls = Object.fromEntries(
      Object.entries(subgraphs).map(([n, s]) => [n, `${s.url}/graphql`]),
    );
    const sdl = composeSupergraph(readSupergraphConfig(SUPERGRAPH_YAML, urls));
    const gateway = await startGateway(config, { sdl }, { port: 0 });
    return {
      config,
      gateway: new GraphQLClient(`${gateway.url}/graphql`),
      gatewayUrl: gateway.url,
      subgraphs,
      stop: async () => {
        await gateway.stop();
        await stopAll();
        await cleanupTestResources(config);
      },
    };
  } catch (err) {
    await stopAll();
    await cleanupTestResources(config);
    throw err;
  }
}
