import {
  AIRCRAFT_CODES,
  AIRCRAFT_TYPES,
  cabinCapacities,
  cabinsOf,
  findLayoutSeat,
  getAircraftType,
  isAircraftCode,
  positionFeatures,
  seatLayout,
} from './aircraft.ts';
import type { LayoutSeat } from './aircraft.ts';

const seat = (code: string, number: string): LayoutSeat => {
  const found = findLayoutSeat(code, number);
  if (!found) throw new Error(`${code} has no seat ${number}`);
  return found;
};

describe('seat position features', () => {
  it('derive window, aisle and middle from a 3-3 pattern', () => {
    expect(positionFeatures('ABC DEF', 'A')).toEqual(['WINDOW']);
    expect(positionFeatures('ABC DEF', 'B')).toEqual(['MIDDLE']);
    expect(positionFeatures('ABC DEF', 'C')).toEqual(['AISLE']);
    expect(positionFeatures('ABC DEF', 'D')).toEqual(['AISLE']);
    expect(positionFeatures('ABC DEF', 'E')).toEqual(['MIDDLE']);
    expect(positionFeatures('ABC DEF', 'F')).toEqual(['WINDOW']);
  });

  it('give a seat alone by the window in 1-2-1 both window and aisle', () => {
    expect(positionFeatures('A EF K', 'A')).toEqual(['WINDOW', 'AISLE']);
    expect(positionFeatures('A EF K', 'E')).toEqual(['AISLE']);
    expect(positionFeatures('A EF K', 'F')).toEqual(['AISLE']);
    expect(positionFeatures('A EF K', 'K')).toEqual(['WINDOW', 'AISLE']);
  });

  it('treat both ends of a centre block as aisle seats', () => {
    expect(['D', 'E', 'F'].map((c) => positionFeatures('ABC DEF HJK', c))).toEqual([
      ['AISLE'],
      ['MIDDLE'],
      ['AISLE'],
    ]);
    expect(() => positionFeatures('ABC DEF', 'K')).toThrow(RangeError);
  });
});

describe('A320 layout', () => {
  const layout = seatLayout('A320');

  it('has 12 business seats 2-2 and 156 economy seats 3-3', () => {
    expect(layout).toHaveLength(168);
    expect(cabinCapacities('A320')).toEqual([
      { cabin: 'BUSINESS', seats: 12, blocked: 0, sellable: 12 },
      { cabin: 'ECONOMY', seats: 156, blocked: 0, sellable: 156 },
    ]);
    expect(layout.filter((s) => s.row === 1).map((s) => s.column)).toEqual(['A', 'C', 'D', 'F']);
    expect(layout.filter((s) => s.row === 20).map((s) => s.column)).toEqual([
      'A',
      'B',
      'C',
      'D',
      'E',
      'F',
    ]);
  });

  it('skips row 13 like the airline does', () => {
    expect(layout.some((s) => s.row === 13)).toBe(false);
    expect(layout.some((s) => s.row === 12)).toBe(true);
    expect(layout.some((s) => s.row === 14)).toBe(true);
  });

  it('flags the over-wing exit rows 11 and 12 as exit and extra legroom', () => {
    const exitRows = [
      ...new Set(layout.filter((s) => s.features.includes('EXIT_ROW')).map((s) => s.row)),
    ];
    expect(exitRows).toEqual([11, 12]);
    expect(seat('A320', '11A').features).toEqual(['WINDOW', 'EXIT_ROW', 'EXTRA_LEGROOM']);
    expect(seat('A320', '12B').features).toEqual(['MIDDLE', 'EXIT_ROW', 'EXTRA_LEGROOM']);
  });

  it('sells the bulkhead row 4 as extra legroom without an exit', () => {
    expect(seat('A320', '4C').features).toEqual(['AISLE', 'EXTRA_LEGROOM']);
    expect(seat('A320', '5C').features).toEqual(['AISLE']);
  });

  it('puts 1A by the window in business', () => {
    expect(seat('A320', '1A')).toMatchObject({
      cabin: 'BUSINESS',
      row: 1,
      column: 'A',
      blocked: false,
    });
    expect(seat('A320', '1A').features).toEqual(['WINDOW']);
    expect(seat('A320', '1C').features).toEqual(['AISLE']);
  });
});

describe('A321 layout', () => {
  it('has 184 seats with one blocked for cabin crew', () => {
    expect(seatLayout('A321')).toHaveLength(184);
    expect(cabinCapacities('A321')).toEqual([
      { cabin: 'BUSINESS', seats: 16, blocked: 0, sellable: 16 },
      { cabin: 'ECONOMY', seats: 168, blocked: 1, sellable: 167 },
    ]);
    expect(seat('A321', '33C')).toMatchObject({
      blocked: true,
      blockedReason: 'Reserved for cabin crew',
    });
  });
});

describe('B789 layout', () => {
  const layout = seatLayout('B789');

  it('has business 1-2-1, premium economy 2-3-2 and economy 3-3-3, about 290 seats', () => {
    expect(layout).toHaveLength(292);
    expect(cabinsOf('B789')).toEqual(['BUSINESS', 'PREMIUM_ECONOMY', 'ECONOMY']);
    const columnsOf = (row: number) =>
      layout
        .filter((s) => s.row === row)
        .map((s) => s.column)
        .join('');
    expect(columnsOf(1)).toBe('AEFK');
    expect(columnsOf(20)).toBe('ACDEFHK');
    expect(columnsOf(31)).toBe('ABCDEFHJK');
    expect(cabinCapacities('B789')).toEqual([
      { cabin: 'BUSINESS', seats: 32, blocked: 0, sellable: 32 },
      { cabin: 'PREMIUM_ECONOMY', seats: 35, blocked: 0, sellable: 35 },
      { cabin: 'ECONOMY', seats: 225, blocked: 3, sellable: 222 },
    ]);
  });

  it('gives every business suite direct aisle access and 1A the window', () => {
    expect(seat('B789', '1A').features).toEqual(['WINDOW', 'AISLE']);
    for (const s of layout.filter((s) => s.cabin === 'BUSINESS'))
      expect(s.features).toContain('AISLE');
  });

  it('flags exit rows 30 and 42 and the premium bulkhead as extra legroom', () => {
    const rowsWith = (feature: string) => [
      ...new Set(
        layout.filter((s) => (s.features as readonly string[]).includes(feature)).map((s) => s.row),
      ),
    ];
    expect(rowsWith('EXIT_ROW')).toEqual([30, 42]);
    expect(rowsWith('EXTRA_LEGROOM')).toEqual([20, 30, 42]);
    expect(seat('B789', '42J').features).toEqual(['MIDDLE', 'EXIT_ROW', 'EXTRA_LEGROOM']);
  });

  it('blocks the crew-rest seats 54D-54F and nothing else', () => {
    expect(layout.filter((s) => s.blocked).map((s) => s.number)).toEqual(['54D', '54E', '54F']);
    expect(seat('B789', '54E').blockedReason).toBe('Crew rest');
    expect(seat('B789', '54C')).toMatchObject({ blocked: false, blockedReason: null });
  });
});

describe('every layout', () => {
  it.each(AIRCRAFT_CODES)(
    '%s has unique seat numbers, front to back, features in canonical order',
    (code) => {
      const layout = seatLayout(code);
      expect(new Set(layout.map((s) => s.number)).size).toBe(layout.length);
      for (let i = 1; i < layout.length; i++)
        expect(layout[i]!.row).toBeGreaterThanOrEqual(layout[i - 1]!.row);
      const order = ['WINDOW', 'AISLE', 'MIDDLE', 'EXIT_ROW', 'EXTRA_LEGROOM'];
      for (const s of layout) {
        expect(s.number).toBe(`${s.row}${s.column}`);
        const positions = s.features.map((f) => order.indexOf(f));
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
        expect(
          s.features.filter((f) => f === 'WINDOW' || f === 'AISLE' || f === 'MIDDLE').length,
        ).toBeGreaterThan(0);
        if (s.features.includes('EXIT_ROW')) expect(s.features).toContain('EXTRA_LEGROOM');
        expect(s.column).not.toBe('I');
      }
      expect(layout.some((s) => s.row === 13)).toBe(false);
    },
  );

  it('is built once and frozen', () => {
    expect(seatLayout('A320')).toBe(seatLayout('A320'));
    expect(Object.isFrozen(seatLayout('A320'))).toBe(true);
    expect(Object.isFrozen(seatLayout('A320')[0])).toBe(true);
  });

  it('refuses unknown aircraft types', () => {
    expect(isAircraftCode('B789')).toBe(true);
    expect(isAircraftCode('B747')).toBe(false);
    expect(isAircraftCode('toString')).toBe(false);
    expect(() => seatLayout('B747')).toThrow(/Unknown aircraft type 'B747'/);
    expect(() => getAircraftType('')).toThrow(RangeError);
    expect(findLayoutSeat('A320', '99Z')).toBeUndefined();
  });

  it('classifies the wide-body as wide and the narrow-bodies as narrow', () => {
    expect(AIRCRAFT_TYPES.B789.bodyType).toBe('WIDE');
    expect(AIRCRAFT_TYPES.A320.bodyType).toBe('NARROW');
    expect(AIRCRAFT_TYPES.A321.bodyType).toBe('NARROW');
  });
});
