// scripts/migrate.ts (the migration Job and ECS task) must apply exactly the migrations each
// service applies at boot: a migration added to a service's openDatabase call and not to the
// script would otherwise first run in a serving pod, outside the Job's time bound and logs.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SERVICES } from '@airline/shared';
import { DATABASES } from '../scripts/migrate.ts';

describe('scripts/migrate.ts', () => {
  it.each(SERVICES)('applies the migrations %s applies at boot', (service) => {
    const file = `subgraphs/${service}/src/service.ts`;
    const source = readFileSync(fileURLToPath(new URL(`../${file}`, import.meta.url)), 'utf8');
    const atBoot = [...new Set(source.match(/\bMigration\d{14}_\w+/g))].sort();
    expect(atBoot.length).toBeGreaterThan(0);
    const inScript = DATABASES[service].migrations.map((m) => m.name).sort();
    expect({ file, migrations: inScript }).toEqual({ file, migrations: atBoot });
  });
});
