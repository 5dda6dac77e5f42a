import { GraphQLClient, testConfig } from '@airline/shared/testing';
import { composeSupergraph } from './compose.ts';
import { startGateway } from './server.ts';

// Production settings: its own secrets, as `NODE_ENV=production` demands.
const config = testConfig('prodgateway', {
  NODE_ENV: 'production',
  JWT_SECRET: 'p'.repeat(40),
  SERVICE_SECRET: 's'.repeat(40),
  AGENT_EMAIL: 'ops@airline.example',
  AGENT_PASSWORD: 'a-long-production-password',
});
const sdl = composeSupergraph([
  {
    name: 'demo',
    url: 'http://127.0.0.1:9/graphql',
    sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Query { airports: [String!]! }`,
  },
]);

test('in production the gateway gives no field suggestions and no introspection', async () => {
  const gateway = await startGateway(config, { sdl }, { port: 0 });
  try {
    const client = new GraphQLClient(`${gateway.url}/graphql`);
    const typo = await client.request('{ airport }');
    expect(typo.errors?.[0]?.message).toMatch(/Cannot query field "airport"/);
    expect(JSON.stringify(typo)).not.toMatch(/Did you mean|airports/);
    const introspection = await client.request('{ __schema { types { name } } }');
    expect(introspection.errors?.[0]?.message).toMatch(/introspection/i);
  } finally {
    await gateway.stop();
  }
});
