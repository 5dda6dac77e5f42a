import {
  ADVANCE_PURCHASE_BANDS,
  FARE_CURRENCY,
  LOAD_FACTOR_BANDS,
  advancePurchaseMultiplier,
  cabinFare,
  currencyDigits,
  daysUntilDeparture,
  divideRoundHalfUp,
  formatMoney,
  loadFactorMultiplier,
  loadFactorOf,
  lowestFare,
  parseMoney,
  priceSeat,
} from './pricing.ts';
import type { SeatFeature } from './cabin.ts';

const economy = { baseFare: 12900, cabin: 'ECONOMY', loadFactor: 0, daysToDeparture: 90 } as const;

describe('cabin fare', () => {
  it('is the base fare on an empty flight booked far ahead', () => {
    expect(cabinFare(economy)).toBe(12900);
  });

  it('applies both multipliers and rounds to whole dollars once', () => {
    // 129.00 x 1.25 x 1.35 = 217.6875 -> 218.00
    expect(cabinFare({ ...economy, loadFactor: 0.6, daysToDeparture: 10 })).toBe(21800);
    // 100.00 x 1.10 x 1.05 = 115.50 exactly: half rounds up.
    expect(cabinFare({ ...economy, baseFare: 10000, loadFactor: 0.4, daysToDeparture: 30 })).toBe(
      11600,
    );
    // 99.99 x 1.155 = 115.48845 -> 115.00
    expect(cabinFare({ ...economy, baseFare: 9999, loadFactor: 0.4, daysToDeparture: 30 })).toBe(
      11500,
    );
  });

  it('rounds a base fare with cents half up, but never below the base fare', () => {
    expect(cabinFare({ ...economy, baseFare: 12950 })).toBe(13000);
    expect(cabinFare({ ...economy, baseFare: 12949 })).toBe(12949);
    expect(cabinFare({ ...economy, baseFare: 1 })).toBe(1);
    expect(cabinFare({ ...economy, baseFare: 0 })).toBe(0);
  });

  it('never falls as the cabin fills up', () => {
    let previous = 0;
    for (let sold = 0; sold <= 156; sold++) {
      const fare = cabinFare({
        ...economy,
        loadFactor: loadFactorOf(sold, 156),
        daysToDeparture: 20,
      });
      expect(fare).toBeGreaterThanOrEqual(previous);
      previous = fare;
    }
    expect(cabinFare({ ...economy, loadFactor: 1 })).toBe(25800);
  });

  it('never falls as departure comes closer', () => {
    let previous = 0;
    for (let days = 400; days >= -3; days--) {
      const fare = cabinFare({ ...economy, loadFactor: 0.7, daysToDeparture: days });
      expect(fare).toBeGreaterThanOrEqual(previous);
      previous = fare;
    }
    expect(previous).toBe(Math.round(129 * 1.25 * 1.8) * 100);
  });

  it('is dearest on a full flight the day before departure', () => {
    expect(cabinFare({ ...economy, loadFactor: 0.99, daysToDeparture: 1 })).toBe(46400); // 129 x 2 x 1.8
  });

  it('uses band edges inclusively', () => {
    expect(loadFactorMultiplier(0.3999)).toBe(1000);
    expect(loadFactorMultiplier(0.4)).toBe(1100);
    expect(loadFactorMultiplier(0.95)).toBe(2000);
    expect(loadFactorMultiplier(19 / 20)).toBe(2000);
    expect(advancePurchaseMultiplier(60)).toBe(1000);
    expect(advancePurchaseMultiplier(59.9)).toBe(1050);
    expect(advancePurchaseMultiplier(7)).toBe(1350);
    expect(advancePurchaseMultiplier(6)).toBe(1550);
    expect(advancePurchaseMultiplier(2)).toBe(1800);
  });

  it('rises band by band toward a fuller cabin and a nearer departure, from a multiplier of 1', () => {
    expect(LOAD_FACTOR_BANDS[0]).toEqual({ from: 0, permille: 1000 });
    expect(ADVANCE_PURCHASE_BANDS.at(-1)!.minDays).toBe(0);
    for (const bands of [
      LOAD_FACTOR_BANDS.map((b) => b.permille),
      ADVANCE_PURCHASE_BANDS.map((b) => b.permille),
    ]) {
      for (let i = 1; i < bands.length; i++)
        expect(bands[i]!).toBeGreaterThanOrEqual(bands[i - 1]!);
      expect(Math.min(...bands)).toBe(1000);
    }
  });

  it('clamps out-of-range inputs and refuses NaN instead of returning it', () => {
    expect(cabinFare({ ...economy, loadFactor: -0.5 })).toBe(12900);
    expect(cabinFare({ ...economy, loadFactor: 7 })).toBe(25800);
    expect(cabinFare({ ...economy, daysToDeparture: -2 })).toBe(23200);
    expect(() => cabinFare({ ...economy, loadFactor: Number.NaN })).toThrow(RangeError);
    expect(() => cabinFare({ ...economy, daysToDeparture: Number.POSITIVE_INFINITY })).toThrow(
      RangeError,
    );
    expect(() => cabinFare({ ...economy, baseFare: 129.5 })).toThrow(RangeError);
    expect(() => cabinFare({ ...economy, baseFare: -100 })).toThrow(RangeError);
    expect(() => cabinFare({ ...economy, baseFare: Number.NaN })).toThrow(RangeError);
  });

  it('stays exact for very large fares', () => {
    const baseFare = 4_000_000_000_00; // 4 billion dollars
    expect(cabinFare({ ...economy, baseFare, loadFactor: 1, daysToDeparture: 0 })).toBe(
      1_440_000_000_000,
    );
  });
});

describe('seat price', () => {
  const seat = (
    features: SeatFeature[],
    cabin: 'ECONOMY' | 'PREMIUM_ECONOMY' | 'BUSINESS' = 'ECONOMY',
  ) => priceSeat({ ...economy, cabin, features });

  it('adds fixed surcharges in economy: window, aisle, extra legroom, exit row', () => {
    expect(seat(['MIDDLE'])).toBe(12900);
    expect(seat(['WINDOW'])).toBe(12900 + 900);
    expect(seat(['AISLE'])).toBe(12900 + 600);
    expect(seat(['AISLE', 'EXTRA_LEGROOM'])).toBe(12900 + 600 + 2500);
    expect(seat(['WINDOW', 'EXIT_ROW', 'EXTRA_LEGROOM'])).toBe(12900 + 900 + 1000 + 2500);
  });

  it('charges premium economy extras too, but nothing extra in business', () => {
    expect(seat(['WINDOW', 'EXTRA_LEGROOM'], 'PREMIUM_ECONOMY')).toBe(12900 + 3400);
    expect(seat(['WINDOW', 'AISLE'], 'BUSINESS')).toBe(12900);
  });

  it('counts a repeated feature once and keeps surcharges out of the multipliers', () => {
    expect(seat(['WINDOW', 'WINDOW'])).toBe(12900 + 900);
    const busy = priceSeat({ ...economy, loadFactor: 1, daysToDeparture: 0, features: ['WINDOW'] });
    expect(busy).toBe(cabinFare({ ...economy, loadFactor: 1, daysToDeparture: 0 }) + 900);
  });

  it('always lands on whole dollars for a whole-dollar base fare', () => {
    for (const loadFactor of [0, 0.41, 0.66, 0.8, 0.9, 1]) {
      for (const daysToDeparture of [0, 4, 8, 15, 25, 45, 90]) {
        const price = priceSeat({
          ...economy,
          baseFare: 8700,
          loadFactor,
          daysToDeparture,
          features: ['WINDOW'],
        });
        expect(price % 100).toBe(0);
      }
    }
  });
});

describe('lowest fare', () => {
  it('picks the cheapest cabin at current load and time', () => {
    const cabins = [
      { cabin: 'BUSINESS', baseFare: 100000, loadFactor: 0 },
      { cabin: 'ECONOMY', baseFare: 30000, loadFactor: 0.99 },
    ] as const;
    expect(lowestFare(cabins, 1)).toEqual({ cabin: 'ECONOMY', amount: 108000 });
    expect(lowestFare([], 10)).toBeUndefined();
  });

  it('resolves a tie to the cabin listed first', () => {
    const tie = [
      { cabin: 'ECONOMY', baseFare: 10000, loadFactor: 0 },
      { cabin: 'PREMIUM_ECONOMY', baseFare: 10000, loadFactor: 0 },
    ] as const;
    expect(lowestFare(tie, 90)!.cabin).toBe('ECONOMY');
  });
});

describe('pricing inputs', () => {
  it('derive the load factor from seat counts; an unsellable cabin is full', () => {
    expect(loadFactorOf(0, 150)).toBe(0);
    expect(loadFactorOf(75, 150)).toBe(0.5);
    expect(loadFactorOf(160, 150)).toBe(1);
    expect(loadFactorOf(0, 0)).toBe(1);
  });

  it('count whole days to departure, zero once it has passed', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    expect(daysUntilDeparture(new Date('2026-03-11T11:59:00Z'), now)).toBe(9);
    expect(daysUntilDeparture(new Date('2026-03-11T12:00:00Z'), now)).toBe(10);
    expect(daysUntilDeparture(new Date('2026-02-27T12:00:00Z'), now)).toBe(0);
    expect(() => daysUntilDeparture(new Date(Number.NaN), now)).toThrow(RangeError);
  });

  it('round half up exactly with integers', () => {
    expect(divideRoundHalfUp(5n, 10n)).toBe(1n);
    expect(divideRoundHalfUp(4n, 10n)).toBe(0n);
    expect(divideRoundHalfUp(15n, 10n)).toBe(2n);
    expect(divideRoundHalfUp(0n, 7n)).toBe(0n);
    expect(() => divideRoundHalfUp(1n, 0n)).toThrow(RangeError);
  });
});

describe('money', () => {
  it('formats minor units as a decimal string in USD', () => {
    expect(FARE_CURRENCY).toBe('USD');
    expect(formatMoney(12900)).toEqual({ amount: '129.00', currency: 'USD' });
    expect(formatMoney(5, 'USD')).toEqual({ amount: '0.05', currency: 'USD' });
    expect(formatMoney(0).amount).toBe('0.00');
    expect(formatMoney(10).amount).toBe('0.10');
    expect(formatMoney(123456789).amount).toBe('1234567.89');
    expect(formatMoney(-150).amount).toBe('-1.50');
  });

  it('follows the currency’s own number of decimals', () => {
    expect(currencyDigits('USD')).toBe(2);
    expect(formatMoney(500, 'JPY')).toEqual({ amount: '500', currency: 'JPY' });
    expect(formatMoney(1234, 'BHD').amount).toBe('1.234');
    expect(() => formatMoney(100, 'usd')).toThrow(RangeError);
  });

  it('refuses amounts that are not whole minor units', () => {
    expect(() => formatMoney(1.5)).toThrow(RangeError);
    expect(() => formatMoney(Number.NaN)).toThrow(RangeError);
    expect(() => formatMoney(2 ** 60)).toThrow(RangeError);
  });

  it('parses decimal strings back to minor units', () => {
    expect(parseMoney({ amount: '129.00', currency: 'USD' })).toBe(12900);
    expect(parseMoney({ amount: '0.05', currency: 'USD' })).toBe(5);
    expect(parseMoney({ amount: '129.5', currency: 'USD' })).toBe(12950);
    expect(parseMoney({ amount: '129', currency: 'USD' })).toBe(12900);
    expect(parseMoney({ amount: '-1.50', currency: 'USD' })).toBe(-150);
    expect(Object.is(parseMoney({ amount: '-0.00', currency: 'USD' }), 0)).toBe(true);
    expect(parseMoney({ amount: '500', currency: 'JPY' })).toBe(500);
  });

  it('round-trips every format', () => {
    for (const minor of [0, 1, 5, 99, 100, 12900, 12949, -7, 900719925474099]) {
      expect(parseMoney(formatMoney(minor))).toBe(minor);
    }
  });

  it('rejects malformed amounts and more decimals than the currency has', () => {
    for (const amount of ['', '.5', '1.', '+1.00', '1,00', '12a', ' 1.00', '1e3', '0.001']) {
      expect(() => parseMoney({ amount, currency: 'USD' })).toThrow(RangeError);
    }
    expect(() => parseMoney({ amount: '1.5', currency: 'JPY' })).toThrow(RangeError);
    expect(() => parseMoney({ amount: '99999999999999999999.00', currency: 'USD' })).toThrow(
      RangeError,
    );
  });
});
