// The signed-in session, kept in localStorage so a reload (or a second tab) stays signed in.
// The token expires (JWT_TTL_SECONDS); an expired one is dropped when read.

/** A customer's (or agent's) session: the gateway's token and when it lapses. */
export interface Session {
  token: string;
  expiresAt?: string;
}

export const SESSION_KEY = 'airline.session';

/** The stored session, or null when there is none, it is unreadable, or it has expired. */
export function readSession(storage: Pick<Storage, 'getItem'>, now = Date.now()): Session | null {
  try {
    const raw = storage.getItem(SESSION_KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Partial<Session>;
    if (typeof session.token !== 'string' || session.token === '') return null;
    if (session.expiresAt && Date.parse(session.expiresAt) <= now) return null;
    return { token: session.token, ...(session.expiresAt ? { expiresAt: session.expiresAt } : {}) };
  } catch {
    return null;
  }
}

/** Stores a session, or forgets it (null). */
export function writeSession(
  storage: Pick<Storage, 'setItem' | 'removeItem'>,
  session: Session | null,
): void {
  if (session) storage.setItem(SESSION_KEY, JSON.stringify(session));
  else storage.removeItem(SESSION_KEY);
}
