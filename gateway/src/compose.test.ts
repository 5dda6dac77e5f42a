import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeSupergraph, CompositionError, readSupergraphConfig } from './compose.ts';

const YAML = fileURLToPath(new URL('../../supergraph.yaml', import.meta.url));

describe('supergraph composition', () => {
  test('supergraph.yaml composes without errors and names every subgraph with its URL', () => {
    const sources = readSupergraphConfig(YAML);
    const sdl = composeSupergraph(sources);
    for (const s of sources)
      expect(sdl).toContain(`@join__graph(name: "${s.name}", url: "${s.url}")`);
    // Each entity is keyed by id in the subgraph that owns it.
    expect(sdl).toMatch(
      /type Customer\s+(@join__type\([^)]*\)\s+)*@join__type\(graph: CUSTOMERS, key: "id"\)/,
    );
    expect(sdl).toMatch(
      /type Booking\s+(@join__type\([^)]*\)\s+)*@join__type\(graph: BOOKINGS, key: "id"\)/,
    );
  });

  test('URL overrides (tests, deployments) replace routing URLs', () => {
    const [first] = readSupergraphConfig(
      YAML,
      {},
      { CUSTOMERS_URL: 'http://customers.internal:8080/graphql' },
    );
    expect(first?.url).toBe('http://customers.internal:8080/graphql');
  });

  test('conflicting subgraphs fail composition with a readable error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-'));
    writeFileSync(join(dir, 'a.graphql'), 'type Query { thing: Int }');
    writeFileSync(join(dir, 'b.graphql'), 'type Query { thing: String }');
    writeFileSync(
      join(dir, 'supergraph.yaml'),
      [
        'subgraphs:',
        ...['a', 'b'].flatMap((n) => [
          `  ${n}:`,
          `    routing_url: http://localhost/${n}`,
          '    schema:',
          `      file: ./${n}.graphql`,
        ]),
      ].join('\n'),
    );
    const sources = readSupergraphConfig(join(dir, 'supergraph.yaml'));
    expect(sources.map((s) => s.sdl)).toEqual([
      readFileSync(join(dir, 'a.graphql'), 'utf8'),
      'type Query { thing: String }',
    ]);
    expect(() => composeSupergraph(sources)).toThrow(CompositionError);
    expect(() => composeSupergraph(sources)).toThrow(/thing/);
  });
});
