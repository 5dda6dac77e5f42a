import { z } from 'zod';
import { findAirport } from '../domain/airports.ts';
import { CABIN_CLASSES, type CabinClass } from '../domain/cabin.ts';
import { addDays, isDateYmd, localDateInZone } from '../domain/zoned-time.ts';
import { airportCode } from '../flight/flight.validation.ts';

/** The most travellers one search (and one booking) may be for. */
export const MAX_PASSENGERS = 9;
/** How far ahead flights are on sale, in days. */
export const BOOKING_HORIZON_DAYS = 365;

/** A validated flight search. */
export interface SearchQuery {
  origin: string;
  destination: string;
  date: string;
  passengers: number;
  cabin: CabinClass | null;
}

/**
 * `searchFlights` input, judged at `now`: the date must not be in the past where the flight
 * leaves (a search for "today" in Auckland is valid while it is still yesterday in London).
 */
export function searchInput(now: Date): z.ZodType<SearchQuery> {
  return z
    .object({
      origin: airportCode,
      destination: airportCode,
      date: z.string().max(10).refine(isDateYmd, 'must be a calendar day written YYYY-MM-DD'),
      passengers: z
        .number()
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .max(MAX_PASSENGERS, `must be at most ${MAX_PASSENGERS}`)
        .nullish()
        .transform((n) => n ?? 1),
      cabin: z
        .enum(CABIN_CLASSES as [CabinClass, ...CabinClass[]])
        .nullish()
        .transform((c) => c ?? null),
    })
    .superRefine((v, ctx) => {
      if (v.origin === v.destination)
        ctx.addIssue({ code: 'custom', path: ['destination'], message: 'must differ from origin' });
      // Runs even when a field failed (zod keeps checking after a refinement issue).
      const origin = findAirport(v.origin);
      if (!origin || !isDateYmd(v.date)) return;
      const today = localDateInZone(now, origin.timeZone);
      if (v.date < today)
        ctx.addIssue({
          code: 'custom',
          path: ['date'],
          message: `${v.date} is in the past at ${v.origin} (today there is ${today})`,
        });
      else if (v.date > addDays(today, BOOKING_HORIZON_DAYS))
        ctx.addIssue({
          code: 'custom',
          path: ['date'],
          message: `flights are on sale up to ${BOOKING_HORIZON_DAYS} days ahead`,
        });
    });
}
