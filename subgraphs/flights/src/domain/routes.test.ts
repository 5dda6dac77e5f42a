import { AIRCRAFT_TYPES, cabinsOf } from './aircraft.ts';
import { AIRPORTS } from './airports.ts';
import {
  AIRLINE_CODE,
  MAX_DAILY_FREQUENCY,
  ROUTES,
  baseFaresFor,
  blockMinutesFor,
  defaultAircraftFor,
  departureTimesFor,
  destinationsFrom,
  findRoute,
  routesFrom,
} from './routes.ts';

describe('route network', () => {
  it('serves every airport and flies every route in both directions with the same frequency', () => {
    const served = new Set(ROUTES.map((r) => r.origin));
    for (const airport of AIRPORTS) expect(served.has(airport.code)).toBe(true);
    for (const route of ROUTES) {
      const back = findRoute(route.destination, route.origin);
      expect(back).toBeDefined();
      expect(back!.dailyFrequency).toBe(route.dailyFrequency);
      expect(back!.aircraftCode).toBe(route.aircraftCode);
      expect(back!.distanceKm).toBe(route.distanceKm);
    }
  });

  it('connects every airport to every other, through the hubs if not directly', () => {
    const reached = new Set(['LHR']);
    const queue = ['LHR'];
    while (queue.length > 0) {
      for (const next of destinationsFrom(queue.shift()!)) {
        if (!reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
      }
    }
    expect(reached.size).toBe(AIRPORTS.length);
  });

  it('is hub and spoke: the hubs have the most destinations', () => {
    const byDestinations = [...new Set(ROUTES.map((r) => r.origin))].sort(
      (a, b) => destinationsFrom(b).length - destinationsFrom(a).length,
    );
    expect(byDestinations.slice(0, 4)).toEqual(expect.arrayContaining(['LHR', 'JFK']));
    expect(destinationsFrom('LHR').length).toBeGreaterThanOrEqual(20);
  });

  it('flies busy trunk routes several times a day', () => {
    expect(findRoute('JFK', 'LAX')!.dailyFrequency).toBeGreaterThanOrEqual(4);
    expect(findRoute('LHR', 'JFK')!.dailyFrequency).toBeGreaterThanOrEqual(3);
    expect(findRoute('MAD', 'BCN')!.dailyFrequency).toBeGreaterThanOrEqual(4);
    for (const route of ROUTES) {
      expect(route.dailyFrequency).toBeGreaterThanOrEqual(1);
      expect(route.dailyFrequency).toBeLessThanOrEqual(MAX_DAILY_FREQUENCY);
    }
  });

  it('gives every daily departure its own flight number, odd outbound and even back', () => {
    const numbers = ROUTES.flatMap((r) => r.flightNumbers);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const number of numbers)
      expect(number).toMatch(new RegExp(`^${AIRLINE_CODE}[1-9]\\d{2,3}$`));
    expect(ROUTES[0]!.flightNumbers[0]).toBe('AS101');
    expect(ROUTES[1]!.flightNumbers[0]).toBe('AS102');
    for (const route of ROUTES) expect(route.flightNumbers).toHaveLength(route.dailyFrequency);
  });

  it('puts long haul on the wide-body and never flies a type beyond its range', () => {
    for (const route of ROUTES) {
      if (route.distanceKm >= 4500) expect(route.aircraftCode).toBe('B789');
      expect(route.distanceKm).toBeLessThanOrEqual(AIRCRAFT_TYPES[route.aircraftCode].rangeKm);
    }
    expect(findRoute('LHR', 'CDG')!.aircraftCode).toBe('A320');
    expect(findRoute('JFK', 'LAX')!.aircraftCode).toBe('A321');
    expect(findRoute('LHR', 'SIN')!.aircraftCode).toBe('B789');
  });

  it('has local departure times in ascending order inside the day', () => {
    for (const route of ROUTES) {
      expect(route.departureTimes).toHaveLength(route.dailyFrequency);
      expect([...route.departureTimes].sort()).toEqual(route.departureTimes);
      expect(new Set(route.departureTimes).size).toBe(route.departureTimes.length);
      for (const time of route.departureTimes)
        expect(time).toMatch(/^(0[6-9]|1\d|2[0-3]):[0-5][05]$/);
    }
  });

  it('prices every cabin the aircraft has, in USD whole dollars, premium cabins dearer', () => {
    for (const route of ROUTES) {
      expect(route.currency).toBe('USD');
      expect(Object.keys(route.baseFares).sort()).toEqual([...cabinsOf(route.aircraftCode)].sort());
      const { ECONOMY, PREMIUM_ECONOMY, BUSINESS } = route.baseFares;
      expect(ECONOMY! % 100).toBe(0);
      expect(BUSINESS!).toBeGreaterThan(PREMIUM_ECONOMY ?? ECONOMY!);
      if (PREMIUM_ECONOMY !== undefined) expect(PREMIUM_ECONOMY).toBeGreaterThan(ECONOMY!);
    }
  });

  it('lists an airport’s destinations alphabetically and its routes from it', () => {
    const destinations = destinationsFrom('SIN');
    expect(destinations).toEqual([...destinations].sort());
    expect(destinations).toEqual(expect.arrayContaining(['KUL', 'LHR', 'SYD']));
    expect(routesFrom('SIN').every((r) => r.origin === 'SIN')).toBe(true);
    expect(destinationsFrom('XXX')).toEqual([]);
    expect(findRoute('LHR', 'LHR')).toBeUndefined();
  });
});

describe('route derivations', () => {
  it('derive block time from distance in 5-minute steps', () => {
    expect(blockMinutesFor(347)).toBe(70);
    expect(blockMinutesFor(5540)).toBe(445);
    expect(blockMinutesFor(12061)).toBe(915);
    for (let km = 0; km < 14000; km += 250) {
      expect(blockMinutesFor(km) % 5).toBe(0);
      expect(blockMinutesFor(km + 250)).toBeGreaterThanOrEqual(blockMinutesFor(km));
    }
  });

  it('charge more for longer routes but less per km', () => {
    const economy = (km: number) => baseFaresFor(km, 'B789').ECONOMY!;
    expect(economy(300)).toBeLessThan(economy(1500));
    expect(economy(1500)).toBeLessThan(economy(6000));
    expect(economy(6000) / 6000).toBeLessThan(economy(300) / 300);
    expect(baseFaresFor(5540, 'B789')).toEqual({
      BUSINESS: 188100,
      PREMIUM_ECONOMY: 75200,
      ECONOMY: 41800,
    });
    expect(baseFaresFor(347, 'A320')).toEqual({ BUSINESS: 24200, ECONOMY: 8100 });
  });

  it('choose the aircraft by distance and frequency', () => {
    expect(defaultAircraftFor(800, 1)).toBe('A320');
    expect(defaultAircraftFor(800, 4)).toBe('A321');
    expect(defaultAircraftFor(2500, 1)).toBe('A321');
    expect(defaultAircraftFor(4500, 1)).toBe('B789');
  });

  it('spread departures over the day deterministically', () => {
    expect(departureTimesFor('AAA-BBB', 'A320', 3)).toEqual(
      departureTimesFor('AAA-BBB', 'A320', 3),
    );
    const times = departureTimesFor('AAA-BBB', 'A320', 5);
    expect(times[0]! >= '06:00').toBe(true);
    expect(times[4]! <= '21:30').toBe(true);
    const wide = departureTimesFor('AAA-BBB', 'B789', 1);
    expect(wide[0]! >= '09:00' && wide[0]! <= '23:00').toBe(true);
  });
});
