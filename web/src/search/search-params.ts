// The search form lives in the URL (/?from=JFK&to=BOS&date=...&passengers=2&cabin=ECONOMY), so a
// result list can be shared, reloaded and reached again with the back button.
import type { CabinClass } from '../__generated__/graphql.ts';

/** A search as the form and the URL hold it. */
export interface FlightSearch {
  origin: string;
  destination: string;
  date: string;
  passengers: number;
  cabin: CabinClass | '';
}

const CABINS: readonly string[] = ['ECONOMY', 'PREMIUM_ECONOMY', 'BUSINESS', 'FIRST'];

/** The search in a URL's query string; defaults where a parameter is missing or wrong. */
export function searchFromParams(params: URLSearchParams, today: string): FlightSearch {
  const passengers = Number(params.get('passengers') ?? 1);
  const cabin = params.get('cabin') ?? '';
  const date = params.get('date') ?? '';
  return {
    origin: (params.get('from') ?? '').toUpperCase(),
    destination: (params.get('to') ?? '').toUpperCase(),
    date: /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : today,
    passengers: Number.isInteger(passengers) && passengers >= 1 && passengers <= 9 ? passengers : 1,
    cabin: CABINS.includes(cabin) ? (cabin as CabinClass) : '',
  };
}

/** The query string of a search. */
export function paramsFromSearch(search: FlightSearch): URLSearchParams {
  const params = new URLSearchParams({
    from: search.origin,
    to: search.destination,
    date: search.date,
    passengers: String(search.passengers),
  });
  if (search.cabin) params.set('cabin', search.cabin);
  return params;
}

/** Whether the search names a route and day (the URL of a results page). */
export const isComplete = (search: FlightSearch): boolean =>
  /^[A-Z]{3}$/.test(search.origin) &&
  /^[A-Z]{3}$/.test(search.destination) &&
  search.origin !== search.destination;
