// Small helpers for raw SQL results. MikroORM hands timestamps back as PostgreSQL's text
// ('2026-12-01 07:30:00+00'), so rows are converted at one place instead of in every query.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in canonical text form (flight ids); anything else cannot name a flight. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A timestamptz column value as a Date ('2026-12-01 07:30:00.123+05:30' or a Date already). */
export function toDate(value: string | Date): Date {
  if (value instanceof Date) return value;
  const iso = value.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime()))
    throw new Error(`unexpected timestamp from PostgreSQL: ${value}`);
  return date;
}

/** A date column value as 'YYYY-MM-DD'. */
export function toDateYmd(value: string | Date): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : value.slice(0, 10);
}
