import { describe, expect, test } from 'vitest';
import type { Seat } from './seat-layout.ts';
import {
  dropUnavailable,
  emptySelection,
  isComplete,
  resizeSelection,
  toggleSeat,
} from './seat-selection.ts';

const seat = (number: string, status: Seat['status'] = 'AVAILABLE'): Seat => ({
  number,
  row: Number.parseInt(number, 10),
  column: number.replace(/^\d+/, ''),
  cabin: 'ECONOMY',
  status,
  features: ['AISLE'],
  price: { amount: '99.00', currency: 'USD' },
});

describe('choosing seats for the passengers', () => {
  test('a seat goes to the passenger whose turn it is, then the next one chooses', () => {
    let s = emptySelection(2);
    s = toggleSeat(s, seat('12A'));
    expect(s).toEqual({ seats: ['12A', null], active: 1 });
    s = toggleSeat(s, seat('12B'));
    expect(s).toEqual({ seats: ['12A', '12B'], active: 1 });
    expect(isComplete(s)).toBe(true);
  });

  test('pressing a chosen seat gives it up and it is that passenger’s turn again', () => {
    const s = toggleSeat({ seats: ['12A', '12B'], active: 1 }, seat('12A'));
    expect(s).toEqual({ seats: [null, '12B'], active: 0 });
  });

  test('once everyone has a seat, another seat replaces the current passenger’s', () => {
    expect(toggleSeat({ seats: ['12A', '12B'], active: 1 }, seat('14C'))).toEqual({
      seats: ['12A', '14C'],
      active: 1,
    });
  });

  test('a seat that is not available cannot be chosen', () => {
    const s = emptySelection(1);
    expect(toggleSeat(s, seat('12A', 'HELD'))).toBe(s);
    expect(toggleSeat(s, seat('12A', 'BLOCKED'))).toBe(s);
  });

  test('changing the number of passengers keeps the seats of those who stay', () => {
    expect(resizeSelection({ seats: ['1A', '1B', '1C'], active: 2 }, 2)).toEqual({
      seats: ['1A', '1B'],
      active: 1,
    });
    expect(resizeSelection({ seats: ['1A'], active: 0 }, 2)).toEqual({
      seats: ['1A', null],
      active: 0,
    });
  });
});

describe('seats someone else took meanwhile', () => {
  test('are given up, named, and the first passenger without a seat chooses again', () => {
    const { selection, lost } = dropUnavailable({ seats: ['12A', '12B'], active: 1 }, [
      seat('12A', 'HELD'),
      seat('12B'),
    ]);
    expect(lost).toEqual(['12A']);
    expect(selection).toEqual({ seats: [null, '12B'], active: 0 });
  });

  test('leave the selection as it is when nothing changed', () => {
    const before = { seats: ['12A', null], active: 1 };
    expect(dropUnavailable(before, [seat('12A')]).selection).toBe(before);
  });
});
