/*
 * Dynamic fares and seat prices.
 *
 * Currency: every amount in the network is in one currency, USD (FARE_CURRENCY). Amounts are
 * integers in minor units (cents) everywhere; decimal strings ("129.00") exist only at the
 * edge, through formatMoney / parseMoney. Floats never hold money.
 *
 * Cabin fare for a flight:
 *
 *   fare = baseFare x loadFactorMultiplier x advancePurchaseMultiplier
 *
 *   load factor (sold + held share of the cabin's sellable seats)   multiplier
 *     below 40 %                                                      1.000
 *     40 % to below 60 %                                              1.100
 *     60 % to below 75 %                                              1.250
 *     75 % to below 85 %                                              1.450
 *     85 % to below 95 %                                              1.700
 *     95 % and above                                                  2.000
 *
 *   whole days to departure                                          multiplier
 *     60 or more                                                      1.000
 *     30 to 59                                                        1.050
 *     21 to 29                                                        1.100
 *     14 to 20                                                        1.200
 *     7 to 13                                                         1.350
 *     3 to 6                                                          1.550
 *     0 to 2 (and a departure already passed)                         1.800
 *
 * Multipliers are held as integers in thousandths, so the product is an exact integer.
 *
 * Rounding, the only rounding step: that exact product is rounded half up to the whole
 * currency unit (whole dollars: 12,949.5 cents -> $129; 12,950 cents -> $130). Airlines file
 * fares in whole units, and one step means a price never depends on the order of operations.
 *
 * Floor: the base fare. Every multiplier is at least 1, so only rounding could take a fare
 * below a base fare that has cents (base $129.45 -> $129); the base fare is charged then.
 *
 * Seat price = cabin fare + fixed surcharges for the seat's features, in ECONOMY and
 * PREMIUM_ECONOMY only (a business or first seat is the product itself, not an extra):
 *     EXTRA_LEGROOM 25.00, EXIT_ROW 10.00 (on top: exit rows also have extra legroom, so an
 *     exit seat costs 35.00 more), WINDOW 9.00, AISLE 6.00, MIDDLE 0.00.
 * Surcharges are whole units already, so the sum needs no further rounding.
 *
 * Inputs are checked: a negative, fractional or unsafe base fare, or a NaN/infinite load factor
 * or day count, throws RangeError instead of producing a price; a load factor outside 0..1 is
 * clamped, and a departure in the past prices like one within two days.
 */

import { minorDigits, toMoney, type Money } from '@airline/shared';
import { CabinClass } from './cabin.ts';
import type { SeatFeature } from './cabin.ts';

/** ISO 4217 code of the single currency every fare and price is in. */
export const FARE_CURRENCY = 'USD';

/** Money at the edge: decimal string amount and currency (the platform's one definition). */
export type { Money };

/** A load-factor band: from `from` (inclusive) up to the next band, the multiplier in thousandths. */
export interface LoadFactorBand {
  readonly from: number;
  readonly permille: number;
}

/** Load-factor bands, lowest first; see the table at the top of pricing.ts. */
export const LOAD_FACTOR_BANDS: readonly LoadFactorBand[] = [
  { from: 0, permille: 1000 },
  { from: 0.4, permille: 1100 },
  { from: 0.6, permille: 1250 },
  { from: 0.75, permille: 1450 },
  { from: 0.85, permille: 1700 },
  { from: 0.95, permille: 2000 },
];

/** An advance-purchase band: at least `minDays` whole days out, the multiplier in thousandths. */
export interface AdvancePurchaseBand {
  readonly minDays: number;
  readonly permille: number;
}

/** Advance-purchase bands, furthest out first; see the table at the top of pricing.ts. */
export const ADVANCE_PURCHASE_BANDS: readonly AdvancePurchaseBand[] = [
  { minDays: 60, permille: 1000 },
  { minDays: 30, permille: 1050 },
  { minDays: 21, permille: 1100 },
  { minDays: 14, permille: 1200 },
  { minDays: 7, permille: 1350 },
  { minDays: 3, permille: 1550 },
  { minDays: 0, permille: 1800 },
];

/** Fixed surcharge per seat feature in minor units of FARE_CURRENCY. */
export const SEAT_SURCHARGES: Readonly<Record<SeatFeature, number>> = {
  WINDOW: 900,
  AISLE: 600,
  MIDDLE: 0,
  EXIT_ROW: 1000,
  EXTRA_LEGROOM: 2500,
};

/** Cabins whose seats carry feature surcharges. */
export const SURCHARGED_CABINS: readonly CabinClass[] = [
  CabinClass.ECONOMY,
  CabinClass.PREMIUM_ECONOMY,
];

/** What a cabin's fare on one flight depends on. */
export interface FareInput {
  /** The route's base fare for the cabin, minor units. */
  readonly baseFare: number;
  readonly cabin: CabinClass;
  /** Sold plus held seats over sellable seats of that cabin, 0..1 (see loadFactorOf). */
  readonly loadFactor: number;
  /** Whole days until departure (see daysUntilDeparture). */
  readonly daysToDeparture: number;
}

/** What one seat's price depends on: the cabin fare plus the seat's features. */
export interface SeatPriceInput extends FareInput {
  readonly features: readonly SeatFeature[];
}

/** One cabin's fare inputs, for picking the lowest fare of a flight. */
export type CabinFareInput = Omit<FareInput, 'daysToDeparture'>;

const PERMILLE = 1000n;

function minorUnitsPerUnit(currency: string): number {
  return 10 ** currencyDigits(currency);
}

/** Rounds numerator/denominator (both non-negative) half up to an integer, exactly. */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n)
    throw new RangeError('divideRoundHalfUp needs n >= 0, d > 0');
  return (2n * numerator + denominator) / (2n * denominator);
}

function assertFinite(value: number, name: string): void {
  if (!Number.isFinite(value))
    throw new RangeError(`${name} must be a finite number, got ${value}`);
}

function assertMinorUnits(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `${name} must be a non-negative whole number of minor units, got ${value}`,
    );
  }
}

/** Multiplier in thousandths for a cabin's load factor; clamps to 0..1. */
export function loadFactorMultiplier(loadFactor: number): number {
  assertFinite(loadFactor, 'loadFactor');
  const clamped = Math.min(1, Math.max(0, loadFactor));
  let permille = LOAD_FACTOR_BANDS[0]!.permille;
  for (const band of LOAD_FACTOR_BANDS) if (clamped >= band.from) permille = band.permille;
  return permille;
}

/** Multiplier in thousandths for the days left before departure; a past departure counts as 0. */
export function advancePurchaseMultiplier(daysToDeparture: number): number {
  assertFinite(daysToDeparture, 'daysToDeparture');
  const days = Math.max(0, Math.floor(daysToDeparture));
  const band = ADVANCE_PURCHASE_BANDS.find((candidate) => days >= candidate.minDays);
  return band!.permille;
}

/** The fare of a cabin on one flight in minor units, before any seat surcharge. */
export function cabinFare(input: FareInput): number {
  assertMinorUnits(input.baseFare, 'baseFare');
  const unit = BigInt(minorUnitsPerUnit(FARE_CURRENCY));
  const exact =
    BigInt(input.baseFare) *
    BigInt(loadFactorMultiplier(input.loadFactor)) *
    BigInt(advancePurchaseMultiplier(input.daysToDeparture));
  const rounded = divideRoundHalfUp(exact, PERMILLE * PERMILLE * unit) * unit;
  return Math.max(input.baseFare, Number(rounded));
}

/** Sum of the surcharges for a seat's features in a cabin, minor units; each feature counts once. */
export function seatSurcharge(cabin: CabinClass, features: readonly SeatFeature[]): number {
  if (!SURCHARGED_CABINS.includes(cabin)) return 0;
  let total = 0;
  for (const feature of new Set(features)) total += SEAT_SURCHARGES[feature];
  return total;
}

/** The price of one seat on one flight in minor units: cabin fare plus seat surcharges. */
export function priceSeat(input: SeatPriceInput): number {
  return cabinFare(input) + seatSurcharge(input.cabin, input.features);
}

/** The cheapest cabin fare of a flight (no seat surcharges), or undefined with no cabins; ties go to the cabin listed first. */
export function lowestFare(
  cabins: readonly CabinFareInput[],
  daysToDeparture: number,
): { cabin: CabinClass; amount: number } | undefined {
  let best: { cabin: CabinClass; amount: number } | undefined;
  for (const cabin of cabins) {
    const amount = cabinFare({ ...cabin, daysToDeparture });
    if (!best || amount < best.amount) best = { cabin: cabin.cabin, amount };
  }
  return best;
}

/** Load factor of a cabin from its counts; a cabin with nothing to sell counts as full. */
export function loadFactorOf(soldOrHeld: number, sellable: number): number {
  if (sellable <= 0) return 1;
  return Math.min(1, Math.max(0, soldOrHeld / sellable));
}

/** Whole days from `now` until a departure, never negative (what the advance-purchase bands use). */
export function daysUntilDeparture(departureTime: Date, now: Date): number {
  const ms = departureTime.getTime() - now.getTime();
  assertFinite(ms, 'departureTime - now');
  return Math.max(0, Math.floor(ms / 86_400_000));
}

/** Minor-unit digits of a currency (USD 2, JPY 0); the platform's one definition. */
export const currencyDigits = minorDigits;

/** Minor units as a Money value with a decimal string: formatMoney(12900, 'USD') -> '129.00'. */
export function formatMoney(minor: number, currency: string = FARE_CURRENCY): Money {
  return toMoney(minor, currency);
}

/** A Money value back to minor units; throws RangeError on malformed amounts or too many decimals. */
export function parseMoney(money: Money): number {
  const digits = currencyDigits(money.currency);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(money.amount);
  if (!match) throw new RangeError(`'${money.amount}' is not a decimal amount`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > digits) {
    throw new RangeError(
      `'${money.amount}' has more decimals than ${money.currency} allows (${digits})`,
    );
  }
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor)) throw new RangeError(`'${money.amount}' is too large`);
  // Avoid returning -0 for '-0.00'.
  return sign === '-' && minor !== 0 ? -minor : minor;
}
