import { describe, expect, test } from 'vitest';
import { money, sumMoney } from './money.ts';
import { dayDifference, duration, localDate, localDay, localTime, todayOnDevice } from './time.ts';

describe('times at the airport', () => {
  test('are the wall clock of the airport’s zone, 24-hour', () => {
    expect(localTime('2030-01-14T13:35:00Z', 'America/New_York')).toBe('08:35');
    expect(localTime('2030-07-14T13:35:00Z', 'Europe/London')).toBe('14:35');
    expect(localDate('2030-01-14T23:30:00Z', 'Asia/Tokyo')).toBe('Tue 15 Jan');
    expect(localDay('2030-01-14T23:30:00Z', 'Asia/Tokyo')).toBe('2030-01-15');
  });

  test('an arrival on a later local day is counted', () => {
    const dep = { iso: '2030-01-14T22:00:00-05:00', timeZone: 'America/New_York' };
    expect(
      dayDifference(dep, { iso: '2030-01-15T10:05:00+00:00', timeZone: 'Europe/London' }),
    ).toBe(1);
    expect(
      dayDifference(dep, { iso: '2030-01-14T23:10:00-05:00', timeZone: 'America/New_York' }),
    ).toBe(0);
  });

  test('durations in hours and minutes', () => {
    expect(duration(65)).toBe('1h 05m');
    expect(duration(45)).toBe('45m');
    expect(duration(445)).toBe('7h 25m');
  });

  test("today's date on the device", () => {
    expect(todayOnDevice(new Date(2030, 0, 5, 23, 59))).toBe('2030-01-05');
  });
});

describe('money', () => {
  test('is shown as it came: amount and currency', () => {
    expect(money({ amount: '129.00', currency: 'USD' })).toBe('129.00 USD');
  });

  test('adds up exactly, never through a float', () => {
    expect(
      sumMoney([
        { amount: '0.10', currency: 'EUR' },
        { amount: '0.20', currency: 'EUR' },
      ]),
    ).toEqual({ amount: '0.30', currency: 'EUR' });
    expect(
      sumMoney([
        { amount: '129.00', currency: 'USD' },
        { amount: '30.5', currency: 'USD' },
      ]),
    ).toEqual({ amount: '159.50', currency: 'USD' });
    expect(
      sumMoney([
        { amount: '1000', currency: 'JPY' },
        { amount: '250', currency: 'JPY' },
      ]),
    ).toEqual({ amount: '1250', currency: 'JPY' });
  });

  test('has no total for nothing or for mixed currencies', () => {
    expect(sumMoney([])).toBeNull();
    expect(
      sumMoney([
        { amount: '1.00', currency: 'USD' },
        { amount: '1.00', currency: 'EUR' },
      ]),
    ).toBeNull();
  });
});
