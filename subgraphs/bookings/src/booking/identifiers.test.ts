import { newReference, ticketNumber } from './identifiers.ts';

describe('record locators and ticket numbers', () => {
  test('a locator is 6 characters without look-alikes (0/O, 1/I/L)', () => {
    for (let i = 0; i < 500; i++) expect(newReference()).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
  });

  test('locators are random enough not to repeat in a small sample', () => {
    expect(new Set(Array.from({ length: 2000 }, newReference)).size).toBe(2000);
  });

  test('a ticket number is 13 digits: airline code + zero-padded serial', () => {
    expect(ticketNumber(1_000_001)).toBe('9990001000001');
    expect(ticketNumber(1_000_001)).toHaveLength(13);
    expect(() => ticketNumber(10_000_000_000)).toThrow(RangeError);
  });
});
