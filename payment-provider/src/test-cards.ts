/** What the simulator does with a charge on a given card (DESIGN §2, card table). */
export type CardScenario =
  | { kind: 'approve' }
  | { kind: 'decline'; code: DeclineCode }
  | { kind: 'stall_then_approve'; stalledAttempts: number }
  | { kind: 'unavailable' };

/** Decline codes the simulator can answer with; the wire values match the big processors'. */
export const DeclineCode = {
  CardDeclined: 'card_declined',
  InsufficientFunds: 'insufficient_funds',
} as const;
/** One decline code. */
export type DeclineCode = (typeof DeclineCode)[keyof typeof DeclineCode];

/** The magic card numbers and their behaviours; every other valid card is approved. */
export const TEST_CARDS: ReadonlyMap<string, CardScenario> = new Map<string, CardScenario>([
  ['4242424242424242', { kind: 'approve' }],
  ['4000000000000002', { kind: 'decline', code: DeclineCode.CardDeclined }],
  ['4000000000009995', { kind: 'decline', code: DeclineCode.InsufficientFunds }],
  // Attempts are counted per idempotency key so that only a client that retries with the same
  // key recovers, which is exactly the behaviour the adapter must prove.
  ['4000000000000119', { kind: 'stall_then_approve', stalledAttempts: 2 }],
  ['4000000000000259', { kind: 'unavailable' }],
]);

/** The behaviour for a card number. */
export function scenarioFor(cardNumber: string): CardScenario {
  return TEST_CARDS.get(cardNumber) ?? { kind: 'approve' };
}
