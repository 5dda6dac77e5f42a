// The travellers of a booking being made: their names and birth dates, from the form or from the
// account's saved travellers.

/** One traveller as the form holds it; `savedId` when taken from the saved travellers. */
export interface Traveller {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  savedId?: string;
}

export const blankTraveller = (): Traveller => ({ givenName: '', familyName: '', dateOfBirth: '' });

/** The account holder's name split into given and family name ("Ada King Lovelace"). */
export function splitName(name: string): Pick<Traveller, 'givenName' | 'familyName'> {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length <= 1) return { givenName: parts[0] ?? '', familyName: '' };
  return { givenName: parts.slice(0, -1).join(' '), familyName: parts.at(-1)! };
}

/** The travellers list for `count` passengers (those already filled in are kept). */
export function resizeTravellers(travellers: readonly Traveller[], count: number): Traveller[] {
  return Array.from({ length: count }, (_, i) => travellers[i] ?? blankTraveller());
}

/** What is missing for a traveller, in words, or null when complete. */
export function travellerProblem(t: Traveller, today: string): string | null {
  if (!t.givenName.trim() || !t.familyName.trim())
    return 'Enter the given and family name as on the passport.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(t.dateOfBirth)) return 'Enter the date of birth.';
  if (t.dateOfBirth > today) return 'The date of birth cannot be in the future.';
  return null;
}
