import { z } from 'zod';
import { AIRCRAFT_CODES, type AircraftCode } from '../domain/aircraft.ts';
import { isAirportCode } from '../domain/airports.ts';
import { isGate } from '../domain/gates.ts';
import { isUuid } from '../sql.ts';

/** An IATA code of an airport the airline serves; accepts any casing, yields capitals. */
export const airportCode = z
  .string()
  .trim()
  .max(3, 'must be a 3-letter IATA airport code')
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, 'must be a 3-letter IATA airport code')
  .refine(isAirportCode, {
    error: (issue) => `no airport with code ${String(issue.input)} is served`,
  });

/** A flight id as the API hands it out. */
export const flightId = z.string().max(36).refine(isUuid, 'must be a flight id (UUID)');

/** Why an agent changed a flight, shown to passengers. */
export const reason = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(500, 'must be at most 500 characters');

/** A gate as airports sign it. */
export const gate = z
  .string()
  .trim()
  .max(8, 'must be at most 8 characters')
  .toUpperCase()
  .refine(isGate, 'must be letters and digits, e.g. B12');

const dateTime = z.union([z.date(), z.string()]).transform((v, ctx) => {
  const d = v instanceof Date ? v : new Date(v);
  if (Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 date-time with offset' });
    return z.NEVER;
  }
  return d;
});

/** `scheduleFlight` input (the route is implied by origin and destination). */
export const scheduleFlightInput = z
  .object({
    number: z
      .string()
      .trim()
      .max(8, 'must be at most 8 characters')
      .toUpperCase()
      .regex(/^[A-Z0-9]{2}\d{1,4}$/, 'must be an airline code and 1 to 4 digits, e.g. AS123'),
    origin: airportCode,
    destination: airportCode,
    departureTime: dateTime,
    aircraft: z
      .string()
      .trim()
      .toUpperCase()
      .pipe(
        z.enum(AIRCRAFT_CODES as [AircraftCode, ...AircraftCode[]], {
          error: `must be an aircraft type of the fleet (${AIRCRAFT_CODES.join(', ')})`,
        }),
      )
      .nullish(),
    gate: gate.nullish(),
  })
  .refine((v) => v.origin !== v.destination, {
    message: 'must differ from origin',
    path: ['destination'],
  });

/** `delayFlight` arguments. */
export const delayFlightInput = z.object({
  id: flightId,
  newDepartureTime: dateTime,
  reason,
});

/** `changeGate` arguments. */
export const changeGateInput = z.object({ id: flightId, gate });

/** `cancelFlight` arguments. */
export const cancelFlightInput = z.object({ id: flightId, reason });
