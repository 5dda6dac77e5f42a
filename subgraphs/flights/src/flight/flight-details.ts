import type { EntityManager } from '@airline/shared';
import { getAirport } from '../domain/airports.ts';
import { formatInZone } from '../domain/zoned-time.ts';
import { selectFlights } from './flight-record.ts';

/** An airport as a passenger's message names it. */
export interface AirportSummary {
  code: string;
  name: string;
  city: string;
  timeZone: string;
}

/** A flight as notifications shows it to passengers: airport-local times with their offsets. */
export interface FlightDetails {
  id: string;
  number: string;
  /** The stored status: SCHEDULED, DELAYED or CANCELLED. */
  status: string;
  gate: string | null;
  departureTime: string;
  arrivalTime: string;
  scheduledDepartureTime: string;
  origin: AirportSummary;
  destination: AirportSummary;
}

function airportSummary(code: string): AirportSummary {
  const airport = getAirport(code);
  return { code, name: airport.name, city: airport.city, timeZone: airport.timeZone };
}

/** The details of the flights that exist among `ids`, in one query. */
export async function flightDetails(
  em: EntityManager,
  ids: readonly string[],
): Promise<FlightDetails[]> {
  const flights = await selectFlights(em, ids);
  return flights.map((f) => ({
    id: f.id,
    number: f.number,
    status: f.status,
    gate: f.gate,
    departureTime: formatInZone(f.departureTime, f.originTimeZone),
    arrivalTime: formatInZone(f.arrivalTime, f.destinationTimeZone),
    scheduledDepartureTime: formatInZone(f.scheduledDepartureTime, f.originTimeZone),
    origin: airportSummary(f.origin),
    destination: airportSummary(f.destination),
  }));
}
