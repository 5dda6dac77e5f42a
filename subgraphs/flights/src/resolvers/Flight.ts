import { formatMoney } from '../domain/pricing.ts';
import { getAircraftType } from '../domain/aircraft.ts';
import { effectiveStatus } from '../domain/flight-status.ts';
import { formatInZone } from '../domain/zoned-time.ts';
import { availableSeats, fareOf } from '../domain/seat-map.ts';
import type { AirportEntity } from '../airport/airport.entity.ts';
import type { FlightResolvers } from '../__generated__/resolvers-types.ts';

function present(airport: AirportEntity | null, code: string): AirportEntity {
  if (!airport) throw new Error(`airport ${code} of a flight is missing from the airport table`);
  return airport;
}

/** The Flight entity: times in the airports' zones, status by the clock, seats from the inventory. */
export const Flight: FlightResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.flightById.load(ref.id),
  origin: async (f, _a, ctx) => present(await ctx.loaders.airportByCode.load(f.origin), f.origin),
  destination: async (f, _a, ctx) =>
    present(await ctx.loaders.airportByCode.load(f.destination), f.destination),
  departureTime: (f) => formatInZone(f.departureTime, f.originTimeZone),
  arrivalTime: (f) => formatInZone(f.arrivalTime, f.destinationTimeZone),
  scheduledDepartureTime: (f) => formatInZone(f.scheduledDepartureTime, f.originTimeZone),
  durationMinutes: (f) =>
    Math.round((f.arrivalTime.getTime() - f.departureTime.getTime()) / 60_000),
  status: (f, _a, ctx) => effectiveStatus(f, ctx.now),
  aircraft: (f) => getAircraftType(f.aircraftCode),
  availableSeats: async (f, { cabin }, ctx) =>
    availableSeats(await ctx.loaders.seatMap.load(f), cabin),
  fare: async (f, { cabin }, ctx) => {
    const minor = fareOf(await ctx.loaders.seatMap.load(f), cabin);
    return minor === null ? null : formatMoney(minor);
  },
  seats: async (f, { cabin }, ctx) => {
    const map = await ctx.loaders.seatMap.load(f);
    return cabin ? map.seats.filter((s) => s.cabin === cabin) : [...map.seats];
  },
};
