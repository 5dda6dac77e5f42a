import { fileURLToPath } from 'node:url';
import { runService } from '@airline/shared/process';
import { startGateway } from './server.ts';

const supergraphFile =
  process.env.SUPERGRAPH_FILE ??
  fileURLToPath(new URL('../../supergraph.graphql', import.meta.url));

await runService('gateway', (config) => startGateway(config, { file: supergraphFile }), {
  needsInfrastructure: false,
});
