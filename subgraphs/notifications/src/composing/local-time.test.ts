import { localTime } from './local-time.ts';

describe('localTime', () => {
  test("shows an instant on the airport's clock with its zone and offset", () => {
    expect(localTime('2027-01-12T13:05:00Z', 'America/New_York')).toEqual({
      date: 'Tue 12 Jan 2027',
      time: '08:05',
      zone: 'America/New_York',
      offset: 'GMT-5',
      iso: '2027-01-12T08:05:00-05:00',
    });
  });

  test('follows daylight saving time: the same UTC hour reads an hour later in summer', () => {
    expect(localTime('2027-07-12T13:05:00Z', 'America/New_York').time).toBe('09:05');
    expect(localTime('2027-07-12T13:05:00Z', 'Europe/London')).toMatchObject({
      time: '14:05',
      offset: 'GMT+1',
      iso: '2027-07-12T14:05:00+01:00',
    });
  });

  test('midnight is 00:00 on the new day, and half-hour zones keep their minutes', () => {
    expect(localTime('2027-03-01T05:00:00Z', 'America/New_York')).toMatchObject({
      date: 'Mon 01 Mar 2027',
      time: '00:00',
    });
    expect(localTime('2027-03-01T05:00:00Z', 'Asia/Kolkata')).toMatchObject({
      time: '10:30',
      offset: 'GMT+5:30',
      iso: '2027-03-01T10:30:00+05:30',
    });
  });

  test('a zero offset is written GMT+0, and an invalid instant is refused', () => {
    expect(localTime('2027-01-12T13:05:00Z', 'Europe/London').offset).toBe('GMT+0');
    expect(() => localTime('yesterday', 'Europe/London')).toThrow(RangeError);
  });
});
