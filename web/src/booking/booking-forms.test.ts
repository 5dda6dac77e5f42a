import { describe, expect, test } from 'vitest';
import { groupCardNumber, luhnValid, parseCard } from './card.ts';
import { formatCountdown, secondsLeft } from './hold-countdown.ts';
import { newIdempotencyKey } from './idempotency.ts';
import { resizeTravellers, splitName, travellerProblem } from './travellers.ts';

const now = new Date('2030-06-15T12:00:00Z');

describe('the card form', () => {
  test('accepts a test card with spaces and a future MM/YY expiry', () => {
    expect(
      parseCard(
        { number: '4242 4242 4242 4242', expiry: '12/31', cvc: '123', holderName: 'Ada Lovelace' },
        now,
      ),
    ).toEqual({
      card: {
        number: '4242424242424242',
        expMonth: 12,
        expYear: 2031,
        cvc: '123',
        holderName: 'Ada Lovelace',
      },
    });
  });

  test('names each field that cannot be right', () => {
    const result = parseCard(
      { number: '4242 4242 4242 4241', expiry: '05/30', cvc: '12', holderName: ' ' },
      now,
    );
    expect(result).toEqual({
      problems: {
        number: expect.any(String),
        expiry: 'This card has expired.',
        cvc: expect.any(String),
        holderName: expect.any(String),
      },
    });
  });

  test('a card is valid through its expiry month', () => {
    expect(
      'card' in
        parseCard(
          { number: '4242424242424242', expiry: '06/2030', cvc: '123', holderName: 'A B' },
          now,
        ),
    ).toBe(true);
  });

  test('card numbers are checked with Luhn and shown in groups of four', () => {
    expect(luhnValid('4000000000000002')).toBe(true);
    expect(luhnValid('4000000000000001')).toBe(false);
    expect(groupCardNumber('4242424242424242')).toBe('4242 4242 4242 4242');
  });
});

describe('the hold countdown', () => {
  test('counts whole seconds down to zero', () => {
    expect(secondsLeft('2030-06-15T12:09:41Z', now.getTime())).toBe(581);
    expect(secondsLeft('2030-06-15T11:59:00Z', now.getTime())).toBe(0);
    expect(formatCountdown(581)).toBe('9:41');
    expect(formatCountdown(5)).toBe('0:05');
    expect(formatCountdown(3723)).toBe('1:02:03');
  });
});

describe('travellers', () => {
  test('the account holder’s name fills the first traveller', () => {
    expect(splitName('Ada King Lovelace')).toEqual({
      givenName: 'Ada King',
      familyName: 'Lovelace',
    });
    expect(splitName('Cher')).toEqual({ givenName: 'Cher', familyName: '' });
  });

  test('the list follows the number of passengers, keeping those filled in', () => {
    const one = [{ givenName: 'Ada', familyName: 'Lovelace', dateOfBirth: '1985-12-10' }];
    expect(resizeTravellers(one, 2)).toEqual([
      one[0],
      { givenName: '', familyName: '', dateOfBirth: '' },
    ]);
  });

  test('says what is missing', () => {
    expect(
      travellerProblem(
        { givenName: 'Ada', familyName: '', dateOfBirth: '1985-12-10' },
        '2030-01-01',
      ),
    ).toMatch(/name/);
    expect(
      travellerProblem(
        { givenName: 'Ada', familyName: 'L', dateOfBirth: '2031-01-01' },
        '2030-01-01',
      ),
    ).toMatch(/future/);
    expect(
      travellerProblem(
        { givenName: 'Ada', familyName: 'L', dateOfBirth: '1985-12-10' },
        '2030-01-01',
      ),
    ).toBeNull();
  });
});

test('idempotency keys are fresh UUIDs', () => {
  const a = newIdempotencyKey();
  expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(newIdempotencyKey()).not.toBe(a);
});
