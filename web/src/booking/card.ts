// The card form's checks, before anything is sent: the services check again, these only save a
// round trip for a typo. The card number and CVC go to the gateway once and are never stored.

/** What the card form holds. */
export interface CardForm {
  number: string;
  expiry: string;
  cvc: string;
  holderName: string;
}

/** The card as payBooking takes it. */
export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  holderName: string;
}

/** The provider simulator's cards, shown beside the form in development. */
export const TEST_CARDS: readonly { number: string; outcome: string }[] = [
  { number: '4242 4242 4242 4242', outcome: 'approved' },
  { number: '4000 0000 0000 0002', outcome: 'declined' },
  { number: '4000 0000 0000 9995', outcome: 'declined: insufficient funds' },
  { number: '4000 0000 0000 0119', outcome: 'times out twice, then approved' },
  { number: '4000 0000 0000 0259', outcome: 'provider unavailable' },
];

/** The Luhn checksum every card number satisfies. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** "4242424242424242" shown in groups of four. */
export function groupCardNumber(raw: string): string {
  return raw
    .replace(/\D/g, '')
    .slice(0, 19)
    .replace(/(\d{4})(?=\d)/g, '$1 ');
}

/**
 * The card to send, or the problem with each field (keyed by field) when it cannot be right.
 * `now` decides whether the expiry has passed (a card is valid through its expiry month).
 */
export function parseCard(
  form: CardForm,
  now: Date,
): { card: CardInput } | { problems: Partial<Record<keyof CardForm, string>> } {
  const problems: Partial<Record<keyof CardForm, string>> = {};
  const number = form.number.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(number) || !luhnValid(number))
    problems.number = 'Enter the card number as printed on the card.';
  const expiry = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(form.expiry);
  let expMonth = 0;
  let expYear = 0;
  if (!expiry) problems.expiry = 'Enter the expiry date as MM/YY.';
  else {
    expMonth = Number(expiry[1]);
    expYear = Number(expiry[2]!.length === 2 ? `20${expiry[2]}` : expiry[2]);
    const current = now.getFullYear() * 12 + now.getMonth() + 1;
    if (expMonth < 1 || expMonth > 12) problems.expiry = 'The month must be between 01 and 12.';
    else if (expYear * 12 + expMonth < current) problems.expiry = 'This card has expired.';
  }
  if (!/^\d{3,4}$/.test(form.cvc.trim()))
    problems.cvc = 'Enter the 3 or 4 digits on the back of the card.';
  if (form.holderName.trim().length < 2) problems.holderName = 'Enter the name on the card.';
  if (Object.keys(problems).length > 0) return { problems };
  return {
    card: { number, expMonth, expYear, cvc: form.cvc.trim(), holderName: form.holderName.trim() },
  };
}
