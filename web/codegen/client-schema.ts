// The schema the web app's operations are typed against: the supergraph composed from
// supergraph.yaml exactly as the gateway serves it, reduced to its API schema (what clients can
// query: no join__/link__ machinery, no @inaccessible fields). Composed in memory so codegen never
// depends on a supergraph.graphql left over from an earlier `npm start`.
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse, printSchema } from 'graphql';
import { readSupergraphConfig } from '../../gateway/src/compose.ts';

const SUPERGRAPH_YAML = fileURLToPath(new URL('../../supergraph.yaml', import.meta.url));

/** The supergraph's API schema as SDL. */
export function clientSchemaSdl(): string {
  const subgraphs = readSupergraphConfig(SUPERGRAPH_YAML);
  const result = composeServices(
    subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })),
  );
  if (result.errors) {
    throw new Error(
      `supergraph composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`,
    );
  }
  return printSchema(result.schema.toAPISchema().toGraphQLJSSchema());
}
