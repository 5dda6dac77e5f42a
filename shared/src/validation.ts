import type { z } from 'zod';
import { badInput } from './errors.ts';

/** Validates resolver input; the first problem becomes a BAD_USER_INPUT error naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  throw badInput(field ? `${field}: ${issue.message}` : issue.message, field || undefined);
}
