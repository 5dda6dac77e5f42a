/** Money at the GraphQL edge: a decimal string amount and an ISO 4217 currency (DESIGN §2). */
export interface Money {
  amount: string;
  currency: string;
}

const digitsCache = new Map<string, number>();

/** How many minor-unit digits a currency has (USD 2, JPY 0, BHD 3). */
export function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    // Intl accepts 'usd' too; money on our wire is always the upper-case ISO 4217 code.
    if (!/^[A-Z]{3}$/.test(currency)) throw new RangeError(`'${currency}' is not an ISO 4217 code`);
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

/** Integer minor units to Money, exactly (no floating point): 12900 USD -> "129.00". */
export function toMoney(amountMinor: number, currency: string): Money {
  if (!Number.isSafeInteger(amountMinor))
    throw new RangeError(`not an integer amount: ${amountMinor}`);
  const digits = minorDigits(currency);
  const sign = amountMinor < 0 ? '-' : '';
  const abs = String(Math.abs(amountMinor)).padStart(digits + 1, '0');
  const amount = digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
  return { amount: sign + amount, currency };
}
