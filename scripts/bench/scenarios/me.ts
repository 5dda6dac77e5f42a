import { asGateway, graphql, measureGraphQL, type Scenario } from '../harness.ts';

/** `me` through the gateway vs the customers subgraph directly: the price of federation. */
export const meScenario: Scenario = {
  name: 'me',
  description: '`me { id email name passengers { id } }` with a valid token',
  async run(settings) {
    const email = `bench.${Date.now()}@example.com`;
    const { register } = await graphql<{ register: { token: string } }>(
      settings.gatewayUrl,
      'mutation($i: RegisterInput!) { register(input: $i) { token } }',
      { i: { email, password: 'bench password 1', name: 'Bench User' } },
    );
    const body = { query: '{ me { id email name passengers { id } } }' };
    const auth = { authorization: `Bearer ${register.token}` };
    const direct = await measureGraphQL(
      'customers subgraph',
      settings.subgraphUrl('customers'),
      body,
      settings,
      { ...auth, ...(await asGateway(settings, 'customers')) },
    );
    const gateway = await measureGraphQL('gateway', settings.gatewayUrl, body, settings, auth);
    return {
      direct,
      gateway,
      gatewayThroughputRatio: +(
        gateway.requestsPerSecond / Math.max(1, direct.requestsPerSecond)
      ).toFixed(2),
    };
  },
};
