/** Card networks we can tell apart by number; the wire values are what we store. */
export const CardBrand = {
  Visa: 'visa',
  Mastercard: 'mastercard',
  Amex: 'amex',
  Discover: 'discover',
  Unknown: 'unknown',
} as const;
/** One card network. */
export type CardBrand = (typeof CardBrand)[keyof typeof CardBrand];

const BRANDS = new Set<string>(Object.values(CardBrand));

/** Narrows an outside brand string to ours; anything unexpected is `unknown`, never an error. */
export function toCardBrand(value: string): CardBrand {
  const lower = value.toLowerCase();
  return BRANDS.has(lower) ? (lower as CardBrand) : CardBrand.Unknown;
}

/** Strips the spaces and dashes people type between digit groups. */
export function normalizeCardNumber(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** True for 12 to 19 digits that pass the Luhn checksum, i.e. a number a card could carry. */
export function isValidCardNumber(input: string): boolean {
  const digits = normalizeCardNumber(input);
  return /^\d{12,19}$/.test(digits) && luhnCheck(digits);
}

/** The Luhn (mod 10) checksum over a string of digits; false for anything that is not digits. */
export function luhnCheck(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    // Every second digit from the right is doubled; subtracting 9 sums the two digits of the product.
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The network of a card number, from its issuer identification prefix. */
export function cardBrand(input: string): CardBrand {
  const digits = normalizeCardNumber(input);
  if (!/^\d+$/.test(digits)) return CardBrand.Unknown;
  const prefix = (n: number): number => Number(digits.slice(0, n));
  if (digits.startsWith('4')) return CardBrand.Visa;
  if ((prefix(2) >= 51 && prefix(2) <= 55) || (prefix(4) >= 2221 && prefix(4) <= 2720)) {
    return CardBrand.Mastercard;
  }
  if (prefix(2) === 34 || prefix(2) === 37) return CardBrand.Amex;
  if (prefix(4) === 6011 || prefix(2) === 65 || (prefix(3) >= 644 && prefix(3) <= 649)) {
    return CardBrand.Discover;
  }
  return CardBrand.Unknown;
}

/** The last four digits: together with the brand, all of a card we ever keep. */
export function last4(input: string): string {
  return normalizeCardNumber(input).slice(-4);
}

/** A card is good through the last day of its expiry month; compared in UTC like processors do. */
export function isCardExpired(expMonth: number, expYear: number, now: Date = new Date()): boolean {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  return expYear < year || (expYear === year && expMonth < month);
}
