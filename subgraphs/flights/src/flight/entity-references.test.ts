// Flight @key(fields: "id") and Airport @key(fields: "code") as the gateway resolves them from
// other subgraphs: `_entities` with many representations costs one query per type.
import { randomUUID } from 'node:crypto';
import { startFlightsHarness, type FlightsHarness } from '../testing/flights-harness.ts';

let h: FlightsHarness;
const queries: string[] = [];

beforeAll(async () => {
  h = await startFlightsHarness('entities', {
    seedDays: 1,
    onReadQuery: (sql) => queries.push(sql),
  });
});
afterAll(() => h?.stop());

const ENTITIES = `query($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on Flight { id number departureTime arrivalTime status origin { code } }
    ... on Airport { code name city country timeZone }
  }
}`;

async function flightIds(count: number): Promise<string[]> {
  const { rows } = await h.sql.query<{ id: string }>(
    'SELECT id FROM flight ORDER BY number, departure_date LIMIT $1',
    [count],
  );
  return rows.map((r) => r.id);
}

// The search projector polls on the same pool; its statements are not the request's.
const ofRequest = (sql: string) => !/search_change|search_flight/i.test(sql);

async function entities(reps: Record<string, string>[]) {
  queries.length = 0;
  const { _entities } = await h.graphql.data<{ _entities: (Record<string, unknown> | null)[] }>(
    ENTITIES,
    { reps },
  );
  return { entities: _entities, queries: queries.filter(ofRequest) };
}

describe('entity references', () => {
  test('25 flights resolve in order with ONE flight query and one airport query', async () => {
    const ids = (await flightIds(25)).reverse();
    const result = await entities(ids.map((id) => ({ __typename: 'Flight', id })));
    expect(result.entities.map((e) => e?.id)).toEqual(ids);
    expect(result.entities[0]).toMatchObject({
      number: expect.stringMatching(/^AS\d+$/),
      departureTime: expect.stringMatching(/[+-]\d{2}:\d{2}$/),
      status: expect.any(String),
    });
    expect(result.queries.filter((q) => /from flight f/i.test(q))).toHaveLength(1);
    expect(result.queries.filter((q) => /from "airport"/i.test(q))).toHaveLength(1);
    expect(result.queries).toHaveLength(2);
  });

  test('unknown or malformed flight ids resolve to null, the others still resolve', async () => {
    const [known] = await flightIds(1);
    const result = await entities([
      { __typename: 'Flight', id: randomUUID() },
      { __typename: 'Flight', id: known! },
      { __typename: 'Flight', id: 'nope' },
    ]);
    expect(result.entities.map((e) => e?.id ?? null)).toEqual([null, known, null]);
  });

  test('airports resolve by code in one query', async () => {
    const codes = ['LHR', 'JFK', 'SIN', 'SYD', 'DXB', 'GRU', 'HND', 'CDG', 'FRA', 'YVR'];
    const result = await entities(codes.map((code) => ({ __typename: 'Airport', code })));
    expect(result.entities.map((e) => e?.code)).toEqual(codes);
    expect(result.entities[0]).toEqual({
      code: 'LHR',
      name: 'London Heathrow Airport',
      city: 'London',
      country: 'GB',
      timeZone: 'Europe/London',
    });
    expect(result.queries).toHaveLength(1);
  });
});
