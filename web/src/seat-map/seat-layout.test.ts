import { describe, expect, test } from 'vitest';
import type { SeatFeature, SeatStatus } from '../__generated__/graphql.ts';
import {
  columnSlots,
  layoutSeatMap,
  moveFocus,
  moveForKey,
  seatLabel,
  type Seat,
} from './seat-layout.ts';

/** Seats of rows laid out like the flights subgraph's aircraft ('ABC DEF': a space is an aisle). */
function cabinSeats(
  cabin: Seat['cabin'],
  pattern: string,
  rows: number[],
  options: { exitRows?: number[]; price?: string; status?: Record<string, SeatStatus> } = {},
): Seat[] {
  const blocks = pattern.split(' ');
  return rows.flatMap((row) =>
    blocks.flatMap((block, b) =>
      [...block].map((column, i) => {
        const window = (b === 0 && i === 0) || (b === blocks.length - 1 && i === block.length - 1);
        const aisle = (i === 0 && b > 0) || (i === block.length - 1 && b < blocks.length - 1);
        const features: SeatFeature[] = [];
        if (window) features.push('WINDOW');
        if (aisle) features.push('AISLE');
        if (!window && !aisle) features.push('MIDDLE');
        if (options.exitRows?.includes(row)) features.push('EXIT_ROW', 'EXTRA_LEGROOM');
        const number = `${row}${column}`;
        return {
          number,
          row,
          column,
          cabin,
          status: options.status?.[number] ?? 'AVAILABLE',
          features,
          price: { amount: options.price ?? '100.00', currency: 'USD' },
        };
      }),
    ),
  );
}

const slots = (pattern: string) => {
  const seats = cabinSeats('ECONOMY', pattern, [1]);
  const features = new Map(seats.map((s) => [s.column, new Set(s.features)]));
  return columnSlots(
    seats.map((s) => s.column),
    features,
  )
    .map((c) => (c.afterAisle ? ` ${c.letter}` : c.letter))
    .join('');
};

describe('aisles come from the seats’ features', () => {
  test.each(['ABC DEF', 'AC DF', 'A EF K', 'AC DEF HK', 'ABC DEF HJK', 'AB'])('%s', (pattern) => {
    expect(slots(pattern)).toBe(pattern);
  });
});

describe('the seat map of a flight', () => {
  const a320 = [
    ...cabinSeats('BUSINESS', 'AC DF', [1, 2, 3], { price: '250.00' }),
    ...cabinSeats('ECONOMY', 'ABC DEF', [4, 5, 11, 12, 14], {
      exitRows: [11, 12],
      status: { '4A': 'HELD', '4B': 'BOOKED' },
      price: '89.00',
    }),
  ];

  test('has its cabins front to back, each with its own columns and rows', () => {
    const cabins = layoutSeatMap([...a320].reverse());
    expect(cabins.map((c) => c.cabin)).toEqual(['BUSINESS', 'ECONOMY']);
    expect(cabins[0]!.columns.map((c) => c.letter)).toEqual(['A', 'C', 'D', 'F']);
    expect(cabins[1]!.rows.map((r) => r.row)).toEqual([4, 5, 11, 12, 14]);
    expect(cabins[1]!.rows[0]!.seats.map((s) => s?.number)).toEqual([
      '4A',
      '4B',
      '4C',
      '4D',
      '4E',
      '4F',
    ]);
  });

  test('marks exit rows', () => {
    const economy = layoutSeatMap(a320)[1]!;
    expect(economy.rows.filter((r) => r.exit).map((r) => r.row)).toEqual([11, 12]);
  });

  test('prices each cabin from its cheapest seat that can still be chosen', () => {
    const held = a320.map((s) =>
      s.cabin === 'BUSINESS' ? { ...s, status: 'BOOKED' as const } : s,
    );
    const [business, economy] = layoutSeatMap(held);
    expect(business!.fromPrice).toBeNull();
    expect(economy!.fromPrice).toEqual({ amount: '89.00', currency: 'USD' });
  });

  test('leaves a gap where a row lacks a column', () => {
    const seats = cabinSeats('ECONOMY', 'ABC DEF', [30, 31]).filter((s) => s.number !== '31D');
    expect(layoutSeatMap(seats)[0]!.rows[1]!.seats.map((s) => s?.number ?? null)).toEqual([
      '31A',
      '31B',
      '31C',
      null,
      '31E',
      '31F',
    ]);
  });
});

describe('what a seat says', () => {
  const [seat] = cabinSeats('ECONOMY', 'ABC DEF', [12], { exitRows: [12], price: '129.00' });

  test('its number first, then features, status and price', () => {
    expect(seatLabel(seat!)).toBe('12A, window, exit row, extra legroom, available, 129.00 USD');
  });

  test('a taken seat is unavailable, without a price', () => {
    expect(seatLabel({ ...seat!, status: 'HELD' })).toBe(
      '12A, window, exit row, extra legroom, unavailable',
    );
    expect(seatLabel({ ...seat!, status: 'BOOKED' })).toBe(
      '12A, window, exit row, extra legroom, unavailable',
    );
    expect(seatLabel({ ...seat!, status: 'BLOCKED', price: null })).toBe(
      '12A, window, exit row, extra legroom, not for sale',
    );
  });

  test('a seat chosen here names its passenger', () => {
    expect(seatLabel(seat!, 2)).toBe(
      '12A, window, exit row, extra legroom, selected for passenger 2, 129.00 USD',
    );
  });
});

describe('keyboard moves on the seat map', () => {
  const cabins = layoutSeatMap([
    ...cabinSeats('BUSINESS', 'AC DF', [1, 2]),
    ...cabinSeats('ECONOMY', 'ABC DEF', [4, 5]),
  ]);

  test('arrow keys, Home and End (Ctrl: the whole map) are moves; other keys are not', () => {
    expect(moveForKey('ArrowUp')).toBe('up');
    expect(moveForKey('Home')).toBe('rowStart');
    expect(moveForKey('End', true)).toBe('last');
    expect(moveForKey('Tab')).toBeNull();
  });

  test('left and right move along the row, across the aisle, and stop at its ends', () => {
    expect(moveFocus(cabins, '4C', 'right')).toBe('4D');
    expect(moveFocus(cabins, '4D', 'left')).toBe('4C');
    expect(moveFocus(cabins, '4A', 'left')).toBeNull();
    expect(moveFocus(cabins, '4F', 'right')).toBeNull();
    expect(moveFocus(cabins, '5C', 'rowStart')).toBe('5A');
    expect(moveFocus(cabins, '5C', 'rowEnd')).toBe('5F');
  });

  test('up and down keep the column, across cabins too', () => {
    expect(moveFocus(cabins, '4A', 'down')).toBe('5A');
    expect(moveFocus(cabins, '2C', 'down')).toBe('4C');
    expect(moveFocus(cabins, '4F', 'up')).toBe('2F');
    expect(moveFocus(cabins, '1A', 'up')).toBeNull();
    expect(moveFocus(cabins, '5A', 'down')).toBeNull();
  });

  test('a column the next cabin does not have lands on the seat at the same place in the row', () => {
    expect(moveFocus(cabins, '4B', 'up')).toBe('2C');
    expect(moveFocus(cabins, '4E', 'up')).toBe('2D');
  });

  test('Ctrl+Home and Ctrl+End go to the first and last seat', () => {
    expect(moveFocus(cabins, '4D', 'first')).toBe('1A');
    expect(moveFocus(cabins, '1A', 'last')).toBe('5F');
  });
});
