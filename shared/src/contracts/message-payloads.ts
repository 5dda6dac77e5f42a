import type { z } from 'zod';
import { PermanentError } from '../messaging/consumer.ts';
import type { Message } from '../messaging/events.ts';

/**
 * A consumer's reading of a message payload. The catalogue types payloads at compile time, but a
 * producer on another version (or a forger) can still send anything, so every consumer validates
 * what it reads; a malformed payload cannot get better by retrying and is dead-lettered.
 */
export function payloadOf<S extends z.ZodType>(
  schema: S,
  message: Pick<Message, 'type' | 'payload'>,
): z.output<S> {
  const parsed = schema.safeParse(message.payload);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new PermanentError(
    `malformed ${message.type} payload: ${issue ? `${issue.path.join('.') || 'payload'}: ${issue.message}` : 'invalid'}`,
  );
}
