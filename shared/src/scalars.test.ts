import { DateScalar, DateTimeScalar, isIsoDate } from './scalars.ts';

describe('Date and DateTime scalars', () => {
  test.each([
    ['2026-02-28', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['26-01-01', false],
    ['2026-1-1', false],
  ])('isIsoDate(%s) is %s', (value, ok) => expect(isIsoDate(value)).toBe(ok));

  test('Date rejects a non-existent day with BAD_USER_INPUT', () => {
    expect(() => DateScalar.parseValue('2026-02-30')).toThrow(/YYYY-MM-DD/);
    expect(DateScalar.parseValue('2026-03-01')).toBe('2026-03-01');
  });

  test('DateTime needs an explicit offset and keeps a local one when serialising a string', () => {
    expect(() => DateTimeScalar.parseValue('2026-12-01T10:00:00')).toThrow(/offset/);
    expect((DateTimeScalar.parseValue('2026-12-01T10:00:00+01:00') as Date).toISOString()).toBe(
      '2026-12-01T09:00:00.000Z',
    );
    expect(DateTimeScalar.serialize('2026-12-01T10:00:00+01:00')).toBe('2026-12-01T10:00:00+01:00');
    expect(DateTimeScalar.serialize(new Date('2026-12-01T09:00:00Z'))).toBe(
      '2026-12-01T09:00:00.000Z',
    );
  });
});
