import {
  addDays,
  formatInZone,
  isDateYmd,
  localDateInZone,
  localDateTimeToInstant,
  localDayBounds,
  parseDateYmd,
  zoneOffsetMinutes,
} from './zoned-time.ts';

const iso = (date: Date) => date.toISOString();

describe('localDateTimeToInstant', () => {
  it('applies GMT before and BST after the London spring change (29 March 2026)', () => {
    expect(iso(localDateTimeToInstant('2026-03-28', '08:30', 'Europe/London'))).toBe(
      '2026-03-28T08:30:00.000Z',
    );
    expect(iso(localDateTimeToInstant('2026-03-29', '08:30', 'Europe/London'))).toBe(
      '2026-03-29T07:30:00.000Z',
    );
  });

  it('applies EST before and EDT after the New York spring change (8 March 2026)', () => {
    expect(iso(localDateTimeToInstant('2026-03-07', '08:30', 'America/New_York'))).toBe(
      '2026-03-07T13:30:00.000Z',
    );
    expect(iso(localDateTimeToInstant('2026-03-08', '08:30', 'America/New_York'))).toBe(
      '2026-03-08T12:30:00.000Z',
    );
    expect(iso(localDateTimeToInstant('2026-11-01', '08:30', 'America/New_York'))).toBe(
      '2026-11-01T13:30:00.000Z',
    );
  });

  it('moves a time skipped by the clocks going forward to after the jump', () => {
    expect(iso(localDateTimeToInstant('2026-03-29', '01:30', 'Europe/London'))).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(
      formatInZone(localDateTimeToInstant('2026-03-29', '01:30', 'Europe/London'), 'Europe/London'),
    ).toBe('2026-03-29T02:30:00+01:00');
    expect(iso(localDateTimeToInstant('2026-03-08', '02:30', 'America/New_York'))).toBe(
      '2026-03-08T07:30:00.000Z',
    );
  });

  it('takes the earlier of a time that occurs twice when the clocks go back', () => {
    expect(iso(localDateTimeToInstant('2026-10-25', '01:30', 'Europe/London'))).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    expect(iso(localDateTimeToInstant('2026-11-01', '01:30', 'America/New_York'))).toBe(
      '2026-11-01T05:30:00.000Z',
    );
  });

  it('handles half-hour offsets, zones without DST and the southern hemisphere', () => {
    expect(iso(localDateTimeToInstant('2026-07-01', '09:00', 'Asia/Kolkata'))).toBe(
      '2026-07-01T03:30:00.000Z',
    );
    expect(iso(localDateTimeToInstant('2026-07-01', '09:00', 'America/Phoenix'))).toBe(
      '2026-07-01T16:00:00.000Z',
    );
    expect(iso(localDateTimeToInstant('2026-01-15', '09:00', 'Australia/Sydney'))).toBe(
      '2026-01-14T22:00:00.000Z',
    );
    expect(iso(localDateTimeToInstant('2026-07-15', '09:00', 'Australia/Sydney'))).toBe(
      '2026-07-14T23:00:00.000Z',
    );
  });

  it('accepts midnight and the last minute of the day', () => {
    expect(iso(localDateTimeToInstant('2026-12-31', '00:00', 'Asia/Tokyo'))).toBe(
      '2026-12-30T15:00:00.000Z',
    );
    expect(iso(localDateTimeToInstant('2026-12-31', '23:59', 'Asia/Tokyo'))).toBe(
      '2026-12-31T14:59:00.000Z',
    );
  });

  it('rejects malformed dates, times and zones', () => {
    expect(() => localDateTimeToInstant('2026-02-30', '08:00', 'UTC')).toThrow(RangeError);
    expect(() => localDateTimeToInstant('2026-2-3', '08:00', 'UTC')).toThrow(RangeError);
    expect(() => localDateTimeToInstant('2026-02-03', '24:00', 'UTC')).toThrow(RangeError);
    expect(() => localDateTimeToInstant('2026-02-03', '8:00', 'UTC')).toThrow(RangeError);
    expect(() => localDateTimeToInstant('2026-02-03', '08:00', 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('formatInZone', () => {
  it("writes local time with the airport's offset", () => {
    const instant = new Date('2026-12-01T07:30:00Z');
    expect(formatInZone(instant, 'Europe/Paris')).toBe('2026-12-01T08:30:00+01:00');
    expect(formatInZone(instant, 'Europe/London')).toBe('2026-12-01T07:30:00+00:00');
    expect(formatInZone(instant, 'America/New_York')).toBe('2026-12-01T02:30:00-05:00');
    expect(formatInZone(instant, 'Asia/Kolkata')).toBe('2026-12-01T13:00:00+05:30');
    expect(formatInZone(instant, 'Pacific/Auckland')).toBe('2026-12-01T20:30:00+13:00');
  });

  it('crosses midnight into the local date and keeps whole seconds', () => {
    expect(formatInZone(new Date('2026-06-30T23:15:09.999Z'), 'Asia/Tokyo')).toBe(
      '2026-07-01T08:15:09+09:00',
    );
    expect(formatInZone(new Date('2026-01-01T00:00:00Z'), 'America/Los_Angeles')).toBe(
      '2025-12-31T16:00:00-08:00',
    );
  });

  it('round-trips with localDateTimeToInstant and parses back to the same instant', () => {
    const instant = localDateTimeToInstant('2026-10-25', '06:45', 'Europe/London');
    const text = formatInZone(instant, 'Europe/London');
    expect(text).toBe('2026-10-25T06:45:00+00:00');
    expect(new Date(text).getTime()).toBe(instant.getTime());
  });

  it('refuses an invalid date', () => {
    expect(() => formatInZone(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
  });
});

describe('calendar helpers', () => {
  it('add days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
  });

  it('validate YYYY-MM-DD dates', () => {
    expect(parseDateYmd('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(isDateYmd('2026-02-29')).toBe(false);
    expect(isDateYmd('2026-13-01')).toBe(false);
    expect(isDateYmd('20260101')).toBe(false);
  });

  it('give the local date and offset of an instant', () => {
    const instant = new Date('2026-03-29T23:30:00Z');
    expect(localDateInZone(instant, 'Europe/London')).toBe('2026-03-30');
    expect(localDateInZone(instant, 'America/Los_Angeles')).toBe('2026-03-29');
    expect(zoneOffsetMinutes(instant, 'Europe/London')).toBe(60);
    expect(zoneOffsetMinutes(instant, 'America/St_Johns')).toBe(-150);
  });

  it('bound a local day, 23 hours long when the clocks spring forward', () => {
    const { start, end } = localDayBounds('2026-03-29', 'Europe/London');
    expect(iso(start)).toBe('2026-03-29T00:00:00.000Z');
    expect(iso(end)).toBe('2026-03-29T23:00:00.000Z');
    const autumn = localDayBounds('2026-10-25', 'Europe/London');
    expect(autumn.end.getTime() - autumn.start.getTime()).toBe(25 * 3_600_000);
  });
});
