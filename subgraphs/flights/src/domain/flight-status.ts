// A flight's operational status is partly stored (an agent delays or cancels it) and partly a
// matter of the clock (boarding, departed, arrived). Deriving the time-driven part on read
// means no background job has to tick statuses forward and no row is ever out of date.

import { FlightStatus } from './cabin.ts';

/** Minutes before departure at which boarding starts (and the gate closes for changes of plan). */
export const BOARDING_OPENS_MINUTES = 40;

/** What the status of a flight depends on. */
export interface FlightTimes {
  /** The status an agent set: SCHEDULED, DELAYED or CANCELLED. */
  readonly status: FlightStatus;
  readonly departureTime: Date;
  readonly arrivalTime: Date;
}

/** The status a passenger sees at `now`: a cancellation sticks, otherwise the clock moves it on. */
export function effectiveStatus(flight: FlightTimes, now: Date): FlightStatus {
  if (flight.status === FlightStatus.CANCELLED) return FlightStatus.CANCELLED;
  const t = now.getTime();
  if (t >= flight.arrivalTime.getTime()) return FlightStatus.ARRIVED;
  if (t >= flight.departureTime.getTime()) return FlightStatus.DEPARTED;
  if (t >= flight.departureTime.getTime() - BOARDING_OPENS_MINUTES * 60_000)
    return FlightStatus.BOARDING;
  return flight.status;
}

/**
 * Why the flight is closed (no seat may be sold or confirmed, no agent change applies), or null
 * while it is open: it was cancelled, or it has left the gate.
 */
export function closedReason(flight: FlightTimes, now: Date): string | null {
  const status = effectiveStatus(flight, now);
  if (status === FlightStatus.CANCELLED) return 'flight cancelled';
  if (status === FlightStatus.DEPARTED || status === FlightStatus.ARRIVED) return 'flight departed';
  return null;
}
