// scripts/migrate.ts (the migration Job and ECS task) opens each database with the definition the
// service boots with (`src/database.ts`), so the two cannot disagree; what can still go wrong is
// a migration file that no definition lists, which would never run anywhere.
import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SERVICES } from '@airline/shared';
import { DATABASES } from '../scripts/migrate.ts';

describe('scripts/migrate.ts', () => {
  it.each(SERVICES)('applies every migration file of %s, in timestamp order', (service) => {
    const dir = fileURLToPath(new URL(`../subgraphs/${service}/src/migrations/`, import.meta.url));
    const files = readdirSync(dir)
      .filter((f) => /^Migration\d{14}_\w+\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''));
    const listed = DATABASES[service].migrations.map((m) => m.name);
    const own = listed.filter((name) => name !== 'Migration20261125000000_outbox');
    expect(own.length).toBeGreaterThan(0);
    expect(own.sort()).toEqual(files.sort());
    expect(listed).toEqual([...listed].sort());
  });
});
