// Money arrives as a decimal string with its currency ("129.00", "USD"): shown as it came, never
// through a float, so what the page says is what the card is charged.

/** A Money value of the contract. */
export interface Money {
  amount: string;
  currency: string;
}

/** "129.00 USD". */
export function money(value: Money): string {
  return `${value.amount} ${value.currency}`;
}

/**
 * The sum of amounts in one currency, in minor units to stay exact ("129.00" + "30.50" =
 * "159.50"); null when the list is empty or mixes currencies.
 */
export function sumMoney(values: readonly Money[]): Money | null {
  const first = values[0];
  if (!first || values.some((v) => v.currency !== first.currency)) return null;
  const digits = Math.max(...values.map((v) => v.amount.split('.')[1]?.length ?? 0));
  const scale = 10n ** BigInt(digits);
  const toMinor = (amount: string) => {
    const [whole = '0', fraction = ''] = amount.split('.');
    const negative = whole.startsWith('-');
    const minor =
      BigInt(whole.replace('-', '')) * scale + BigInt(fraction.padEnd(digits, '0') || '0');
    return negative ? -minor : minor;
  };
  const total = values.reduce((sum, v) => sum + toMinor(v.amount), 0n);
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const whole = (abs / scale).toString();
  const fraction = digits > 0 ? `.${(abs % scale).toString().padStart(digits, '0')}` : '';
  return { amount: `${negative ? '-' : ''}${whole}${fraction}`, currency: first.currency };
}
