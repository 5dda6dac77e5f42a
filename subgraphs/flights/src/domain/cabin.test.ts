import {
  CABIN_CLASSES,
  CabinClass,
  FlightStatus,
  SEAT_FEATURES,
  SeatStatus,
  isCabinClass,
} from './cabin.ts';

describe('cabin enumerations', () => {
  it('carry their own names as wire values', () => {
    for (const values of [CabinClass, FlightStatus, SeatStatus]) {
      for (const [key, value] of Object.entries(values)) expect(value).toBe(key);
    }
  });

  it('list every cabin class front to back and every seat feature once', () => {
    expect(CABIN_CLASSES).toEqual(['FIRST', 'BUSINESS', 'PREMIUM_ECONOMY', 'ECONOMY']);
    expect(new Set(SEAT_FEATURES).size).toBe(5);
  });

  it('recognise cabin classes and reject anything else', () => {
    expect(isCabinClass('PREMIUM_ECONOMY')).toBe(true);
    expect(isCabinClass('economy')).toBe(false);
    expect(isCabinClass(undefined)).toBe(false);
  });
});
