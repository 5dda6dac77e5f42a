import {
  CardBrand,
  cardBrand,
  isCardExpired,
  isValidCardNumber,
  last4,
  luhnCheck,
  normalizeCardNumber,
  toCardBrand,
} from './card.ts';

describe('luhnCheck', () => {
  it.each([
    '4242424242424242',
    '4000000000000002',
    '4000000000009995',
    '4000000000000119',
    '4000000000000259',
    '5555555555554444',
    '378282246310005',
    '6011111111111117',
  ])('accepts the valid test number %s', (n) => expect(luhnCheck(n)).toBe(true));

  it.each(['4242424242424241', '4000000000000003', '1234567812345678'])(
    'rejects %s, whose check digit is wrong',
    (n) => expect(luhnCheck(n)).toBe(false),
  );

  it('rejects anything that is not digits', () => {
    expect(luhnCheck('')).toBe(false);
    expect(luhnCheck('4242 4242 4242 4242')).toBe(false);
    expect(luhnCheck('abcd')).toBe(false);
  });
});

describe('isValidCardNumber', () => {
  it('accepts spaces and dashes between groups', () => {
    expect(isValidCardNumber('4242 4242 4242 4242')).toBe(true);
    expect(isValidCardNumber('4242-4242-4242-4242')).toBe(true);
  });

  it('rejects numbers that are too short or too long even when the checksum holds', () => {
    expect(isValidCardNumber('0')).toBe(false);
    expect(isValidCardNumber('00000000000')).toBe(false);
    expect(isValidCardNumber('0'.repeat(20))).toBe(false);
  });

  it('rejects a typo in the last digit', () => {
    expect(isValidCardNumber('4242424242424243')).toBe(false);
  });
});

describe('cardBrand', () => {
  it.each([
    ['4242424242424242', CardBrand.Visa],
    ['4000000000000119', CardBrand.Visa],
    ['5555555555554444', CardBrand.Mastercard],
    ['5105105105105100', CardBrand.Mastercard],
    ['2223003122003222', CardBrand.Mastercard],
    ['378282246310005', CardBrand.Amex],
    ['371449635398431', CardBrand.Amex],
    ['6011111111111117', CardBrand.Discover],
    ['6445644564456445', CardBrand.Discover],
    ['6500000000000002', CardBrand.Discover],
    ['3530111333300000', CardBrand.Unknown],
    ['2720999999999996', CardBrand.Mastercard],
    ['2721000000000000', CardBrand.Unknown],
    ['not a card', CardBrand.Unknown],
  ])('%s is %s', (n, brand) => expect(cardBrand(n)).toBe(brand));

  it('ignores formatting', () => expect(cardBrand('3782 822463 10005')).toBe(CardBrand.Amex));
});

describe('last4', () => {
  it('keeps only the last four digits', () => {
    expect(last4('4242424242424242')).toBe('4242');
    expect(last4('4000 0000 0000 9995')).toBe('9995');
  });
});

describe('normalizeCardNumber', () => {
  it('removes spaces and dashes only', () =>
    expect(normalizeCardNumber(' 4242-4242 4242x ')).toBe('424242424242x'));
});

describe('toCardBrand', () => {
  it('maps known brands case-insensitively and anything else to unknown', () => {
    expect(toCardBrand('VISA')).toBe(CardBrand.Visa);
    expect(toCardBrand('amex')).toBe(CardBrand.Amex);
    expect(toCardBrand('jcb')).toBe(CardBrand.Unknown);
  });
});

describe('isCardExpired', () => {
  const now = new Date('2026-05-15T12:00:00Z');

  it('treats the expiry month itself as still valid', () => {
    expect(isCardExpired(5, 2026, now)).toBe(false);
    expect(isCardExpired(6, 2026, now)).toBe(false);
    expect(isCardExpired(1, 2027, now)).toBe(false);
  });

  it('expires a card once its month is over', () => {
    expect(isCardExpired(4, 2026, now)).toBe(true);
    expect(isCardExpired(12, 2025, now)).toBe(true);
  });
});
