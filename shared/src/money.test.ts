import { toMoney } from './money.ts';

test.each([
  [12900, 'USD', '129.00'],
  [5, 'USD', '0.05'],
  [0, 'EUR', '0.00'],
  [-150, 'USD', '-1.50'],
  [1234, 'JPY', '1234'],
  [1234, 'BHD', '1.234'],
])('%i %s minor units are %s', (minor, currency, amount) => {
  expect(toMoney(minor, currency)).toEqual({ amount, currency });
});

test('a fractional minor amount is refused', () => {
  expect(() => toMoney(1.5, 'USD')).toThrow(RangeError);
});
