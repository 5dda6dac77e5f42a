// A flight as travellers read it: local times at each airport, the duration, a "+1" when it lands
// on a later day, and its status in words.
import type { FlightFieldsFragment, FlightStatus } from '../__generated__/graphql.ts';
import { dayDifference, duration, localDate, localTime } from '../format/time.ts';

const STATUS_WORDS: Record<FlightStatus, string> = {
  SCHEDULED: 'On time',
  DELAYED: 'Delayed',
  BOARDING: 'Boarding',
  DEPARTED: 'Departed',
  ARRIVED: 'Arrived',
  CANCELLED: 'Cancelled',
};

/** The flight's status as a word with a glyph (never colour alone). */
export function FlightStatusBadge({ status }: { status: FlightStatus }) {
  const glyph = status === 'CANCELLED' ? '✕' : status === 'DELAYED' ? '⚠' : '●';
  return (
    <span className={`badge badge-${status.toLowerCase()}`}>
      <span aria-hidden="true">{glyph} </span>
      {STATUS_WORDS[status]}
    </span>
  );
}

/** Departure and arrival, each in its airport's time zone. */
export function FlightTimes({ flight }: { flight: FlightFieldsFragment }) {
  const dep = { iso: flight.departureTime, timeZone: flight.origin.timeZone };
  const arr = { iso: flight.arrivalTime, timeZone: flight.destination.timeZone };
  const days = dayDifference(dep, arr);
  return (
    <div className="flight-times">
      <div className="endpoint">
        <time className="clock" dateTime={flight.departureTime} data-testid="departure-time">
          {localTime(dep.iso, dep.timeZone)}
        </time>
        <span className="airport">
          <abbr title={`${flight.origin.name}, ${flight.origin.city}`}>{flight.origin.code}</abbr>
          <span className="city"> {flight.origin.city}</span>
        </span>
        <span className="date">{localDate(dep.iso, dep.timeZone)}</span>
      </div>
      <div className="leg">
        <span>
          <span className="visually-hidden">Flight time </span>
          {duration(flight.durationMinutes)}
        </span>
        <span className="leg-line" aria-hidden="true" />
      </div>
      <div className="endpoint">
        <time className="clock" dateTime={flight.arrivalTime} data-testid="arrival-time">
          {localTime(arr.iso, arr.timeZone)}
          {days !== 0 && (
            <sup className="day-shift" aria-label={`${days > 0 ? '+' : ''}${days} day`}>
              {days > 0 ? `+${days}` : days}
            </sup>
          )}
        </time>
        <span className="airport">
          <abbr title={`${flight.destination.name}, ${flight.destination.city}`}>
            {flight.destination.code}
          </abbr>
          <span className="city"> {flight.destination.city}</span>
        </span>
        <span className="date">{localDate(arr.iso, arr.timeZone)}</span>
      </div>
    </div>
  );
}

/** A delay or cancellation in words, or nothing when the flight runs as published. */
export function FlightDisruption({ flight }: { flight: FlightFieldsFragment }) {
  if (flight.status === 'CANCELLED')
    return (
      <p className="notice notice-error">
        This flight is cancelled{flight.cancellationReason ? `: ${flight.cancellationReason}` : ''}.
      </p>
    );
  if (flight.departureTime === flight.scheduledDepartureTime) return null;
  const tz = flight.origin.timeZone;
  return (
    <p className="notice notice-warning" data-testid="delay-notice">
      <span aria-hidden="true">⚠ </span>
      Delayed: now departs {localTime(flight.departureTime, tz)} (was{' '}
      {localTime(flight.scheduledDepartureTime, tz)})
      {flight.delayReason ? `. ${flight.delayReason}` : ''}.
    </p>
  );
}

/** The flight's heading line: number, aircraft, gate and status. */
export function FlightFacts({ flight }: { flight: FlightFieldsFragment }) {
  return (
    <p className="flight-facts">
      <strong>{flight.number}</strong>
      <span>{flight.aircraft.name}</span>
      <span data-testid="gate">Gate {flight.gate ?? 'to be announced'}</span>
      <FlightStatusBadge status={flight.status} />
    </p>
  );
}
