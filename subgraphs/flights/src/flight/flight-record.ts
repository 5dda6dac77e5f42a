import type { EntityManager } from '@airline/shared';
import type { AircraftCode } from '../domain/aircraft.ts';
import type { FlightStatus } from '../domain/cabin.ts';
import type { BaseFares } from '../domain/routes.ts';
import { toDate, toDateYmd } from '../sql.ts';

/** A flight as the API layer works with it: the row plus what its fields need (zones, fares). */
export interface FlightRecord {
  id: string;
  number: string;
  /** Local departure date at the origin (the natural key's date). */
  departureDate: string;
  routeId: string;
  origin: string;
  destination: string;
  originTimeZone: string;
  destinationTimeZone: string;
  scheduledDepartureTime: Date;
  departureTime: Date;
  arrivalTime: Date;
  /** The stored status (SCHEDULED, DELAYED or CANCELLED); see effectiveStatus for what users see. */
  status: FlightStatus;
  gate: string | null;
  aircraftCode: AircraftCode;
  delayReason: string | null;
  cancellationReason: string | null;
  /** The route's base fares, minor units per cabin. */
  baseFares: BaseFares;
}

interface FlightRow {
  id: string;
  number: string;
  departure_date: string | Date;
  route_id: string;
  origin: string;
  destination: string;
  origin_time_zone: string;
  destination_time_zone: string;
  scheduled_departure_time: string | Date;
  departure_time: string | Date;
  arrival_time: string | Date;
  status: FlightStatus;
  gate: string | null;
  aircraft_code: AircraftCode;
  delay_reason: string | null;
  cancellation_reason: string | null;
  base_fares: BaseFares | null;
}

function toRecord(row: FlightRow): FlightRecord {
  return {
    id: row.id,
    number: row.number,
    departureDate: toDateYmd(row.departure_date),
    routeId: row.route_id,
    origin: row.origin,
    destination: row.destination,
    originTimeZone: row.origin_time_zone,
    destinationTimeZone: row.destination_time_zone,
    scheduledDepartureTime: toDate(row.scheduled_departure_time),
    departureTime: toDate(row.departure_time),
    arrivalTime: toDate(row.arrival_time),
    status: row.status,
    gate: row.gate,
    aircraftCode: row.aircraft_code,
    delayReason: row.delay_reason,
    cancellationReason: row.cancellation_reason,
    baseFares: row.base_fares ?? {},
  };
}

/**
 * Loads flights by id with their airports' time zones and their route's base fares, in ONE
 * query however many ids (DataLoader batches and `_entities` rely on it). Unknown ids are
 * simply absent from the result.
 */
export async function selectFlights(
  em: EntityManager,
  ids: readonly string[],
): Promise<FlightRecord[]> {
  if (!ids.length) return [];
  // flight read: by primary key, joined with reference data; base fares folded into one json.
  const rows = await em.execute<FlightRow[]>(
    `SELECT f.id, f.number, f.departure_date, f.route_id, f.origin, f.destination,
            o.time_zone AS origin_time_zone, d.time_zone AS destination_time_zone,
            f.scheduled_departure_time, f.departure_time, f.arrival_time, f.status, f.gate,
            f.aircraft_code, f.delay_reason, f.cancellation_reason,
            (SELECT jsonb_object_agg(rf.cabin, rf.base_fare_minor)
               FROM route_fare rf WHERE rf.route_id = f.route_id) AS base_fares
       FROM flight f
       JOIN airport o ON o.code = f.origin
       JOIN airport d ON d.code = f.destination
      WHERE f.id IN (?)`,
    [ids],
  );
  return rows.map(toRecord);
}

/** One flight by id, or null. */
export async function selectFlight(em: EntityManager, id: string): Promise<FlightRecord | null> {
  return (await selectFlights(em, [id]))[0] ?? null;
}
