// Times in messages are the airport's wall clock, named with its zone: a passenger reads the
// departure as the departure board shows it, never in the server's or their phone's zone.

/** An instant as a passenger reads it at one airport. */
export interface LocalTime {
  /** e.g. "Tue 12 Jan 2027" */
  date: string;
  /** 24-hour clock, e.g. "08:35" */
  time: string;
  /** IANA zone, e.g. "America/New_York" */
  zone: string;
  /** The zone's offset then, e.g. "GMT-5" */
  offset: string;
  /** ISO-8601 with that offset, e.g. "2027-01-12T08:35:00-05:00" */
  iso: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // h23: some ICU versions render midnight as "24" with hour12: false.
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: '2-digit',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'shortOffset',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The instant on the clocks of `timeZone`; throws RangeError for an invalid instant or zone. */
export function localTime(instant: Date | string, timeZone: string): LocalTime {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(at.getTime())) throw new RangeError(`not an instant: ${String(instant)}`);
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const offset = parts.timeZoneName === 'GMT' ? 'GMT+0' : (parts.timeZoneName ?? 'GMT+0');
  const m = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(offset);
  const isoOffset = m ? `${m[1]}${pad(Number(m[2]))}:${m[3] ?? '00'}` : '+00:00';
  const ymd = `${parts.year}-${monthNumber(parts.month ?? '')}-${parts.day}`;
  return {
    date: `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`,
    time: `${parts.hour}:${parts.minute}`,
    zone: timeZone,
    offset,
    iso: `${ymd}T${parts.hour}:${parts.minute}:${parts.second}${isoOffset}`,
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function monthNumber(short: string): string {
  const index = MONTHS.indexOf(short.slice(0, 3));
  if (index < 0) throw new RangeError(`unexpected month name ${short}`);
  return pad(index + 1);
}
