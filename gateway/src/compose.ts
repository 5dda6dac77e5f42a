import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const supergraphConfig = z.object({
  federation_version: z.string().optional(),
  subgraphs: z.record(
    z.string(),
    z.object({ routing_url: z.url(), schema: z.object({ file: z.string() }) }),
  ),
});

/** One subgraph as composition sees it: its name, where it is served and its SDL. */
export interface SubgraphSource {
  name: string;
  url: string;
  sdl: string;
}

/** Composition failed; the message lists every error, one per line. */
export class CompositionError extends Error {
  override name = 'CompositionError';
}

/**
 * Reads `supergraph.yaml` (rover's format); `urlOverrides` (or `<NAME>_URL` variables) replace
 * routing URLs so tests and deployments can point at other hosts and ports.
 */
export function readSupergraphConfig(
  file: string,
  urlOverrides: Record<string, string | undefined> = {},
  env: NodeJS.ProcessEnv = process.env,
): SubgraphSource[] {
  const config = supergraphConfig.parse(parseYaml(readFileSync(file, 'utf8')));
  const base = dirname(resolve(file));
  return Object.entries(config.subgraphs).map(([name, s]) => ({
    name,
    url: urlOverrides[name] ?? env[`${name.toUpperCase()}_URL`] ?? s.routing_url,
    sdl: readFileSync(resolve(base, s.schema.file), 'utf8'),
  }));
}

/** Composes subgraph schemas into a supergraph SDL, or throws with every composition error. */
export function composeSupergraph(subgraphs: SubgraphSource[]): string {
  const result = composeServices(
    subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })),
  );
  if (result.errors) {
    throw new CompositionError(
      `supergraph composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`,
    );
  }
  return result.supergraphSdl;
}

/** Composes `supergraph.yaml` and writes the supergraph SDL file the gateway loads. */
export function composeToFile(
  configFile: string,
  outFile: string,
  overrides: Record<string, string> = {},
): string {
  const sdl = composeSupergraph(readSupergraphConfig(configFile, overrides));
  writeFileSync(outFile, sdl);
  return sdl;
}
