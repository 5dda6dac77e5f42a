import {
  AIRPORTS,
  distanceKmBetween,
  findAirport,
  getAirport,
  greatCircleKm,
  isAirportCode,
} from './airports.ts';

describe('airports', () => {
  it('cover at least 40 busy airports with unique IATA codes', () => {
    expect(AIRPORTS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(AIRPORTS.map((a) => a.code)).size).toBe(AIRPORTS.length);
    for (const code of ['ATL', 'DXB', 'LHR', 'HND', 'JFK', 'SIN', 'SYD', 'GRU', 'IAH']) {
      expect(isAirportCode(code)).toBe(true);
    }
  });

  it('have well-formed codes, countries, coordinates and time zones Intl knows', () => {
    for (const airport of AIRPORTS) {
      expect(airport.code).toMatch(/^[A-Z]{3}$/);
      expect(airport.country).toMatch(/^[A-Z]{2}$/);
      expect(Math.abs(airport.latitude)).toBeLessThanOrEqual(90);
      expect(Math.abs(airport.longitude)).toBeLessThanOrEqual(180);
      expect(airport.name.length).toBeGreaterThan(0);
      expect(airport.city.length).toBeGreaterThan(0);
      // Throws RangeError for a zone name ICU does not know.
      expect(() => new Intl.DateTimeFormat('en', { timeZone: airport.timeZone })).not.toThrow();
    }
  });

  it('keep real-world facts for a few well-known airports', () => {
    expect(getAirport('LHR')).toMatchObject({
      city: 'London',
      country: 'GB',
      timeZone: 'Europe/London',
    });
    expect(getAirport('DEL')).toMatchObject({ country: 'IN', timeZone: 'Asia/Kolkata' });
    expect(getAirport('PHX').timeZone).toBe('America/Phoenix');
  });

  it('look up unknown codes as undefined or a RangeError', () => {
    expect(findAirport('XXX')).toBeUndefined();
    expect(findAirport('lhr')).toBeUndefined();
    expect(() => getAirport('XXX')).toThrow(RangeError);
  });

  it('measure great-circle distances close to published ones', () => {
    // Published great-circle distances: JFK-LHR 5,540 km, LHR-CDG 348 km, SYD-LAX 12,051 km.
    expect(distanceKmBetween('JFK', 'LHR')).toBeGreaterThan(5520);
    expect(distanceKmBetween('JFK', 'LHR')).toBeLessThan(5560);
    expect(distanceKmBetween('LHR', 'CDG')).toBeGreaterThan(340);
    expect(distanceKmBetween('LHR', 'CDG')).toBeLessThan(355);
    expect(distanceKmBetween('SYD', 'LAX')).toBeGreaterThan(12000);
    expect(distanceKmBetween('SYD', 'LAX')).toBeLessThan(12100);
  });

  it('measure symmetric distances, zero to itself, finite for antipodes', () => {
    const jfk = getAirport('JFK');
    const sin = getAirport('SIN');
    expect(greatCircleKm(jfk, sin)).toBeCloseTo(greatCircleKm(sin, jfk), 6);
    expect(greatCircleKm(jfk, jfk)).toBe(0);
    const antipode = { latitude: -jfk.latitude, longitude: jfk.longitude - 180 };
    expect(greatCircleKm(jfk, antipode)).toBeCloseTo(Math.PI * 6371.0088, 3);
  });
});
