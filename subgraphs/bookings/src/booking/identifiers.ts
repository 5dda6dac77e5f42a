import { randomInt } from 'node:crypto';

// No 0/O, 1/I/L: a locator is read out over the phone and typed from a screenshot.
const LOCATOR_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A random 6-character record locator (31^6 ≈ 887 million; uniqueness is enforced by the database). */
export function newReference(): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += LOCATOR_ALPHABET[randomInt(LOCATOR_ALPHABET.length)];
  return s;
}

/** Our airline's 3-digit ticketing code (the IATA accounting code a real carrier is assigned). */
export const AIRLINE_TICKET_PREFIX = '999';

/** A 13-digit e-ticket number: airline code + 10-digit serial from a database sequence. */
export function ticketNumber(serial: number | bigint): string {
  const digits = String(serial);
  if (digits.length > 10) throw new RangeError('ticket serial exceeds 10 digits');
  return AIRLINE_TICKET_PREFIX + digits.padStart(10, '0');
}
