// The simulator stands in for an outside processor, so it deliberately shares no code with our
// own adapter: a bug in one must not be masked by the same bug in the other.

/** Card networks the simulated processor recognises. */
export const Brand = {
  Visa: 'visa',
  Mastercard: 'mastercard',
  Amex: 'amex',
  Discover: 'discover',
  Unknown: 'unknown',
} as const;
/** One card network. */
export type Brand = (typeof Brand)[keyof typeof Brand];

/** True when the digit string passes the Luhn checksum every real card number carries. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The network of a card number, from its issuer prefix. */
export function brandOf(digits: string): Brand {
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  const three = Number(digits.slice(0, 3));
  if (digits.startsWith('4')) return Brand.Visa;
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return Brand.Mastercard;
  if (two === 34 || two === 37) return Brand.Amex;
  if (four === 6011 || two === 65 || (three >= 644 && three <= 649)) return Brand.Discover;
  return Brand.Unknown;
}

/** A card is good through the last day of its expiry month (UTC, like most processors). */
export function isExpired(expMonth: number, expYear: number, now: Date): boolean {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  return expYear < year || (expYear === year && expMonth < month);
}
