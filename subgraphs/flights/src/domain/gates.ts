// Gates: the seeded schedule gets a plausible gate per departure, stable across runs, and agents
// may move a flight to any gate written the way airports sign them (A12, B7, 32, T2C14).

/** How an agent may write a gate: up to 8 capital letters and digits, ending in a digit or letter suffix. */
export const GATE_PATTERN = /^[A-Z0-9]{1,8}$/;

/** True for a gate written as airports sign them. */
export function isGate(gate: string): boolean {
  return GATE_PATTERN.test(gate) && /\d/.test(gate);
}

/** A deterministic gate for a seeded departure, e.g. 'C17' (same flight and date, same gate). */
export function defaultGate(flightNumber: string, departureDate: string): string {
  let hash = 0x811c9dc5;
  for (const ch of `${flightNumber}/${departureDate}`) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  hash >>>= 0;
  const pier = 'ABCDE'[hash % 5]!;
  return `${pier}${1 + (Math.floor(hash / 5) % 40)}`;
}
