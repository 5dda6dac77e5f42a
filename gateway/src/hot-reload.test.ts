import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphQLClient, testConfig } from '@airline/shared/testing';
import { composeSupergraph } from './compose.ts';
import { startGateway } from './server.ts';

const compose = (fields: string) =>
  composeSupergraph([
    {
      name: 'demo',
      url: 'http://127.0.0.1:9/graphql',
      sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Query { ${fields} }`,
    },
  ]);

async function fieldsOf(client: GraphQLClient): Promise<string[]> {
  const { __type } = await client.data<{ __type: { fields: { name: string }[] } }>(
    '{ __type(name: "Query") { fields { name } } }',
  );
  return __type.fields.map((f) => f.name).sort();
}

test('the gateway reloads the supergraph when composition rewrites the file (no restart)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'supergraph-'));
  const file = join(dir, 'supergraph.graphql');
  writeFileSync(file, compose('a: Int'));
  const gateway = await startGateway(testConfig('hotreload'), { file }, { port: 0 });
  try {
    const client = new GraphQLClient(`${gateway.url}/graphql`);
    expect(await fieldsOf(client)).toEqual(['a']);
    writeFileSync(file, compose('a: Int\n b: String'));
    const deadline = Date.now() + 5000;
    let fields = await fieldsOf(client);
    while (fields.length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      fields = await fieldsOf(client);
    }
    expect(fields).toEqual(['a', 'b']);
  } finally {
    await gateway.stop();
  }
});
