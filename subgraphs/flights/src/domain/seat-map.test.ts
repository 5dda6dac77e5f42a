import { cabinFare, seatSurcharge } from './pricing.ts';
import {
  availableSeats,
  buildSeatMap,
  fareOf,
  freeSeatsByCabin,
  holdCandidates,
  type SeatMapInput,
  type TakenSeat,
} from './seat-map.ts';

const now = new Date('2026-12-01T12:00:00Z');
const departure = new Date('2027-03-01T12:00:00Z'); // 90 days out: no advance-purchase uplift
const base: SeatMapInput = {
  aircraftCode: 'A320',
  taken: [],
  held: new Set(),
  baseFares: { BUSINESS: 60000, ECONOMY: 15000 },
  departureTime: departure,
  now,
};
const booked = (seatNumber: string, bookingId = 'b1'): TakenSeat => ({
  seatNumber,
  status: 'BOOKED',
  bookingId,
});
const seatOf = (input: SeatMapInput, number: string) =>
  buildSeatMap(input).seats.find((s) => s.number === number)!;

describe('seat statuses', () => {
  it('rank BLOCKED over BOOKED over HELD over AVAILABLE', () => {
    const map = buildSeatMap({
      ...base,
      aircraftCode: 'A321',
      taken: [booked('12A'), { seatNumber: '12B', status: 'BLOCKED', bookingId: null }],
      held: new Set(['12A', '12C', '33C']),
    });
    const status = (n: string) => map.seats.find((s) => s.number === n)!.status;
    expect(status('33C')).toBe('BLOCKED'); // crew seat in the layout, even if someone holds it
    expect(status('12B')).toBe('BLOCKED'); // blocked in the inventory
    expect(status('12A')).toBe('BOOKED'); // a confirmed booking whose hold has not lapsed yet
    expect(status('12C')).toBe('HELD');
    expect(status('12D')).toBe('AVAILABLE');
  });

  it('keep the layout order and every seat of the aircraft', () => {
    const map = buildSeatMap(base);
    expect(map.seats).toHaveLength(168);
    expect(map.seats[0]).toMatchObject({ number: '1A', row: 1, column: 'A', cabin: 'BUSINESS' });
  });
});

describe('cabin counts and load factor', () => {
  it('count booked and held seats against the sellable ones, blocked seats excluded', () => {
    const taken = ['14A', '14B', '14C'].map((n) => booked(n));
    const map = buildSeatMap({ ...base, taken, held: new Set(['15A', '15B']) });
    const economy = map.cabins.find((c) => c.cabin === 'ECONOMY')!;
    expect(economy).toMatchObject({
      seats: 156,
      sellable: 156,
      booked: 3,
      held: 2,
      available: 151,
    });
    expect(economy.loadFactor).toBeCloseTo(5 / 156);
    expect(availableSeats(map, 'ECONOMY')).toBe(151);
    expect(availableSeats(map)).toBe(151 + 12);
    const a321 = buildSeatMap({ ...base, aircraftCode: 'A321' });
    expect(a321.cabins.find((c) => c.cabin === 'ECONOMY')).toMatchObject({
      seats: 168,
      blocked: 1,
      sellable: 167,
      available: 167,
    });
  });

  it('a cabin without seats is absent, so it has nothing available and no fare', () => {
    const map = buildSeatMap(base);
    expect(map.cabins.map((c) => c.cabin)).toEqual(['BUSINESS', 'ECONOMY']);
    expect(availableSeats(map, 'FIRST')).toBe(0);
    expect(fareOf(map, 'FIRST')).toBeNull();
  });
});

describe('prices', () => {
  it('are the cabin fare plus the seat extras, and move with the load factor', () => {
    // 40 % of 12 business seats sold: 1.10 x the base fare.
    const taken = ['1A', '1C', '1D', '1F', '2A'].map((n) => booked(n));
    const map = buildSeatMap({ ...base, taken });
    expect(fareOf(map, 'BUSINESS')).toBe(66000);
    expect(seatOf({ ...base, taken }, '3A').priceMinor).toBe(66000); // no extras in business
    expect(fareOf(map, 'ECONOMY')).toBe(15000);
    expect(seatOf(base, '11A').priceMinor).toBe(15000 + 900 + 1000 + 2500);
    expect(seatOf(base, '20B').priceMinor).toBe(15000);
  });

  it('count held seats in the load factor, so a hold raises the next quote', () => {
    const held = new Set(['1A', '1C', '1D', '1F', '2A']);
    expect(seatOf({ ...base, held }, '3A').priceMinor).toBe(66000);
  });

  it('rise close to departure', () => {
    const soon = { ...base, departureTime: new Date('2026-12-02T12:00:00Z') };
    const expected = cabinFare({
      baseFare: 15000,
      cabin: 'ECONOMY',
      loadFactor: 0,
      daysToDeparture: 1,
    });
    expect(seatOf(soon, '20B').priceMinor).toBe(expected);
    expect(expected).toBe(27000);
    expect(seatOf(soon, '20A').priceMinor).toBe(expected + seatSurcharge('ECONOMY', ['WINDOW']));
  });

  it('give the lowest cabin fare when no cabin is asked for', () => {
    expect(fareOf(buildSeatMap(base))).toBe(15000);
  });
});

describe('holds and search counts', () => {
  it('ask Redis only about seats a hold could matter for', () => {
    const candidates = holdCandidates('A321', [booked('12A')]);
    expect(candidates).not.toContain('12A');
    expect(candidates).not.toContain('33C');
    expect(candidates).toHaveLength(184 - 2);
  });

  it('count free seats per cabin, held ones excluded, full cabins as 0', () => {
    const candidates = holdCandidates('A320', [booked('1A'), booked('1C'), booked('1D')]);
    expect(freeSeatsByCabin('A320', candidates, new Set(['1F', '20A']))).toEqual({
      BUSINESS: 8,
      ECONOMY: 155,
    });
    expect(freeSeatsByCabin('A320', [])).toEqual({ BUSINESS: 0, ECONOMY: 0 });
  });
});
