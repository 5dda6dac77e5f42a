import type { EntityManager } from '@airline/shared';

/** The channels a customer is reached on; e-mail is always on (tickets travel by e-mail). */
export interface Preferences {
  email: true;
  sms: boolean;
  push: boolean;
}

/**
 * Until a customer chooses: SMS on (it is only used when the account has a phone number, and a
 * delay or gate change is worth a text), push off (it needs the app).
 */
export const DEFAULT_PREFERENCES: Preferences = { email: true, sms: true, push: false };

/** The preferences of each customer (the defaults for those who never chose). */
export async function preferencesOf(
  em: EntityManager,
  customerIds: readonly string[],
): Promise<Map<string, Preferences>> {
  const found = new Map<string, Preferences>();
  if (!customerIds.length) return found;
  const rows = await em.execute<{ customer_id: string; sms: boolean; push: boolean }[]>(
    'SELECT customer_id, sms, push FROM channel_preference WHERE customer_id IN (?)',
    [customerIds],
  );
  for (const r of rows) found.set(r.customer_id, { email: true, sms: r.sms, push: r.push });
  for (const id of customerIds) if (!found.has(id)) found.set(id, DEFAULT_PREFERENCES);
  return found;
}

/** Changes the channels given, keeps the others; returns the preferences now. */
export async function updatePreferences(
  em: EntityManager,
  customerId: string,
  change: { sms?: boolean | null; push?: boolean | null },
): Promise<Preferences> {
  const current = (await preferencesOf(em, [customerId])).get(customerId)!;
  const next: Preferences = {
    email: true,
    sms: change.sms ?? current.sms,
    push: change.push ?? current.push,
  };
  await em.execute(
    `INSERT INTO channel_preference (customer_id, sms, push, updated_at) VALUES (?, ?, ?, now())
     ON CONFLICT (customer_id) DO UPDATE SET sms = EXCLUDED.sms, push = EXCLUDED.push,
       updated_at = now()`,
    [customerId, next.sms, next.push],
  );
  return next;
}
