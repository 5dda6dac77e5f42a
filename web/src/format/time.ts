// Times as travellers read them: the airport's own wall clock (departure at the origin, arrival
// at the destination), 24-hour, one locale for the whole app so every page reads the same.

/** The app's one display locale (dates and times). */
export const LOCALE = 'en-GB';

const timeFormats = new Map<string, Intl.DateTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function format(
  cache: Map<string, Intl.DateTimeFormat>,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
) {
  let formatter = cache.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(LOCALE, { ...options, timeZone });
    cache.set(timeZone, formatter);
  }
  return formatter;
}

/** "08:35": the local time at an airport of an instant. */
export function localTime(iso: string, timeZone: string): string {
  return format(timeFormats, timeZone, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/** "Tue 14 Jan": the local date at an airport of an instant. */
export function localDate(iso: string, timeZone: string): string {
  return format(dateFormats, timeZone, { weekday: 'short', day: 'numeric', month: 'short' }).format(
    new Date(iso),
  );
}

/** The calendar day (YYYY-MM-DD) at an airport of an instant. */
export function localDay(iso: string, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));
}

/** How many calendar days later the arrival is, each at its own airport ("+1" on a red-eye). */
export function dayDifference(
  departure: { iso: string; timeZone: string },
  arrival: { iso: string; timeZone: string },
): number {
  const day = (d: { iso: string; timeZone: string }) =>
    Date.parse(`${localDay(d.iso, d.timeZone)}T00:00:00Z`);
  return Math.round((day(arrival) - day(departure)) / 86_400_000);
}

/** "1h 05m" from minutes. */
export function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m}m` : `${h}h ${String(m).padStart(2, '0')}m`;
}

/** Today's date (YYYY-MM-DD) on this device: the default of date pickers. */
export function todayOnDevice(now = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}
