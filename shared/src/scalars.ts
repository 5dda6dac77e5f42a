import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** True for a real calendar day written `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isIsoDate(value)) {
    throw new GraphQLError(
      `Date must be a calendar day written YYYY-MM-DD, got ${JSON.stringify(value)}`,
      {
        extensions: { code: 'BAD_USER_INPUT' },
      },
    );
  }
  return value;
}

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    throw new GraphQLError(
      `DateTime must be ISO-8601 with an offset, got ${JSON.stringify(value)}`,
      {
        extensions: { code: 'BAD_USER_INPUT' },
      },
    );
  }
  return new Date(value);
}

/** `YYYY-MM-DD` calendar day, kept as a string so no time zone can shift it. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar day, YYYY-MM-DD',
  serialize: (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : parseDate(v)),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

/**
 * ISO-8601 instant with offset. Resolvers may return a `Date` (sent in UTC) or a string already
 * carrying a local offset (flights show airport-local times).
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant, ISO-8601 with offset',
  serialize: (v) => (v instanceof Date ? v.toISOString() : parseDateTime(v) && (v as string)),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});
