// Wall-clock time in IANA time zones without a date library: Intl (full ICU ships with Node)
// knows every zone's rules, so we only ask it "what does the clock in zone Z show at instant
// T?" and solve for T. Schedules are published in the origin airport's local time and shown
// with that airport's UTC offset, so every conversion has to be right across DST changes.

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A calendar date written 'YYYY-MM-DD' (the GraphQL `Date` scalar). */
export type DateYmd = string;

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // h23, not hour12:false: the latter renders midnight as "24" in some ICU versions.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function wallClockAt(epochMs: number, timeZone: string): WallClock {
  const wall: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    if (part.type in wall) wall[part.type as keyof WallClock] = Number(part.value);
  }
  return wall;
}

function wallClockAsUtcMs(wall: WallClock): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

function offsetMsAt(epochMs: number, timeZone: string): number {
  // The wall clock has whole seconds, so compare it with the instant truncated likewise.
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  return wallClockAsUtcMs(wallClockAt(epochMs, timeZone)) - wholeSecond;
}

function assertValidInstant(instant: Date): number {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('Invalid date-time');
  return ms;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** Splits a 'YYYY-MM-DD' string into numbers; throws RangeError unless it is a real calendar date. */
export function parseDateYmd(date: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    const probe = new Date(Date.UTC(year, month - 1, day));
    if (probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new RangeError(`'${date}' is not a date in the form YYYY-MM-DD`);
}

/** Whether a string is a real calendar date written 'YYYY-MM-DD'. */
export function isDateYmd(date: string): boolean {
  try {
    parseDateYmd(date);
    return true;
  } catch {
    return false;
  }
}

/** The calendar date `days` days after (or before, if negative) a 'YYYY-MM-DD' date. */
export function addDays(date: DateYmd, days: number): DateYmd {
  const { year, month, day } = parseDateYmd(date);
  // Calendar arithmetic in UTC has no DST, so a day is always 24 hours here.
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** UTC offset in minutes (east positive) that the clocks in `timeZone` keep at an instant. */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  return Math.round(offsetMsAt(assertValidInstant(instant), timeZone) / MINUTE_MS);
}

/**
 * The instant at which clocks in `timeZone` show `time` ('HH:MM') on `date` ('YYYY-MM-DD').
 *
 * Like Temporal's 'compatible' disambiguation: a time that occurs twice (clocks going back)
 * resolves to the earlier instant; a time skipped by clocks going forward resolves to the
 * instant the same distance after the jump (02:30 on a spring-forward night becomes 03:30).
 */
export function localDateTimeToInstant(date: DateYmd, time: string, timeZone: string): Date {
  const { year, month, day } = parseDateYmd(date);
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new RangeError(`'${time}' is not a time in the form HH:MM`);
  const wallMs = Date.UTC(year, month - 1, day, Number(match[1]), Number(match[2]));

  // A zone changes its offset at most once within a day or so, so the offsets one day either
  // side of the wall time are the only ones that can apply to it.
  const offsets = new Set([
    offsetMsAt(wallMs - DAY_MS, timeZone),
    offsetMsAt(wallMs, timeZone),
    offsetMsAt(wallMs + DAY_MS, timeZone),
  ]);
  const matches = [...offsets]
    .map((offset) => wallMs - offset)
    .filter((candidate) => wallClockAsUtcMs(wallClockAt(candidate, timeZone)) === wallMs)
    .sort((a, b) => a - b);
  const earliest = matches[0];
  if (earliest !== undefined) return new Date(earliest);
  // In a gap: keep the offset from before the jump.
  return new Date(wallMs - offsetMsAt(wallMs - DAY_MS, timeZone));
}

/** An instant as ISO-8601 local time with the zone's offset there, e.g. '2026-12-01T08:30:00+01:00'. */
export function formatInZone(instant: Date, timeZone: string): string {
  const ms = assertValidInstant(instant);
  const wall = wallClockAt(ms, timeZone);
  const offsetMinutes = Math.round(
    (wallClockAsUtcMs(wall) - Math.floor(ms / 1000) * 1000) / MINUTE_MS,
  );
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  // '+00:00' rather than 'Z': the value is a local airport time that happens to be at UTC+0.
  return (
    `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}` +
    `T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** The calendar date ('YYYY-MM-DD') the clocks in `timeZone` show at an instant. */
export function localDateInZone(instant: Date, timeZone: string): DateYmd {
  const wall = wallClockAt(assertValidInstant(instant), timeZone);
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

/** The half-open range [start, end) of instants that fall on a local calendar date in a zone. */
export function localDayBounds(date: DateYmd, timeZone: string): { start: Date; end: Date } {
  return {
    start: localDateTimeToInstant(date, '00:00', timeZone),
    end: localDateTimeToInstant(addDays(date, 1), '00:00', timeZone),
  };
}
