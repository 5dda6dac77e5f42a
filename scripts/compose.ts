// Composes supergraph.yaml into supergraph.graphql (what rover would do; its binary cannot be
// fetched here). A composition error exits non-zero so `npm start` stops before anything runs.
import { fileURLToPath } from 'node:url';
import { composeToFile, CompositionError } from '../gateway/src/compose.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
try {
  composeToFile(
    `${root}supergraph.yaml`,
    process.env.SUPERGRAPH_FILE ?? `${root}supergraph.graphql`,
  );
  console.log('composed supergraph.graphql');
} catch (err) {
  console.error(err instanceof CompositionError ? err.message : err);
  process.exit(1);
}
