// Seeding the schedule on an empty database: fast bulk SQL, idempotent, safe when replicas race.
import { MikroORM } from '@mikro-orm/postgresql';
import { databaseName } from '@airline/shared';
import { seatLayout } from '../domain/aircraft.ts';
import { ROUTES } from '../domain/routes.ts';
import { startFlightsHarness, type FlightsHarness } from '../testing/flights-harness.ts';
import { seedSchedule } from './schedule-seeder.ts';

let h: FlightsHarness;
let orm: MikroORM;
const perDay = ROUTES.reduce((sum, r) => sum + r.dailyFrequency, 0);
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  h = await startFlightsHarness('seeding', { seedDays: 1 });
  orm = await MikroORM.init({
    clientUrl: `${h.config.postgresUrl}/${databaseName(h.config, 'flights')}`,
    entities: [],
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
  });
});
afterAll(async () => {
  await orm?.close();
  await h?.stop();
});

const count = async (sql: string) => Number((await h.sql.query<{ n: string }>(sql)).rows[0]!.n);

describe('schedule seeding', () => {
  test('boot seeds one day of every route, with gates and the layouts blocked seats as inventory', async () => {
    expect(await count('SELECT count(*) AS n FROM flight')).toBe(perDay);
    expect(await count('SELECT count(*) AS n FROM flight WHERE gate IS NULL')).toBe(0);
    const blockedPerFlight = ROUTES.reduce(
      (sum, r) =>
        sum + r.dailyFrequency * seatLayout(r.aircraftCode).filter((s) => s.blocked).length,
      0,
    );
    expect(await count(`SELECT count(*) AS n FROM flight_seat WHERE status = 'BLOCKED'`)).toBe(
      blockedPerFlight,
    );
    // The search read model holds every flight that has not long departed. Today's early
    // departures in zones east of UTC may already be a day old when the suite runs late (UTC).
    const searchable = await count(
      `SELECT count(*) AS n FROM flight WHERE departure_time > now() - interval '1 day'`,
    );
    expect(searchable).toBeGreaterThan(perDay / 2);
    expect(await count('SELECT count(*) AS n FROM search_flight')).toBe(searchable);
    expect(
      await count(
        `SELECT count(*) AS n FROM flight f JOIN search_flight s ON s.flight_id = f.id
          WHERE s.departure_time = f.departure_time AND s.origin = f.origin
            AND s.destination = f.destination`,
      ),
    ).toBe(searchable);
  });

  test('a table with flights is left alone', async () => {
    const report = await seedSchedule(orm.em.fork(), { startDate: today, days: 3 });
    expect(report.created).toBe(0);
    expect(await count('SELECT count(*) AS n FROM flight')).toBe(perDay);
  });

  test('replicas seeding an empty table at once insert each flight once; 30 days take seconds', async () => {
    await h.sql.query('TRUNCATE flight CASCADE');
    const reports = await Promise.all([
      seedSchedule(orm.em.fork(), { startDate: today, days: 30 }),
      seedSchedule(orm.em.fork(), { startDate: today, days: 30 }),
    ]);
    expect(reports.map((r) => r.created).sort((a, b) => a - b)).toEqual([0, 30 * perDay]);
    expect(await count('SELECT count(*) AS n FROM flight')).toBe(30 * perDay);
    expect(
      await count(
        'SELECT count(*) AS n FROM (SELECT number, departure_date FROM flight GROUP BY 1, 2 HAVING count(*) > 1) d',
      ),
    ).toBe(0);
  });
});
