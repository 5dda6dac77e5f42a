import { forbidden, isAgent, requireUser, type AuthUser } from '@airline/shared';

/**
 * Who may read a customer's messages: that customer and agents. Anyone else is FORBIDDEN (the
 * same answer bookings gives for someone else's booking history); anonymous callers are
 * UNAUTHENTICATED.
 */
export function assertMayRead(user: AuthUser | null, customerId: string): AuthUser {
  const caller = requireUser(user);
  if (caller.id !== customerId && !isAgent(caller))
    throw forbidden('You may only see your own notifications');
  return caller;
}

/** Keeps the messages the caller may see: their own, or all for an agent. */
export function visibleTo<T extends { customerId?: string | null }>(
  user: AuthUser,
  items: T[],
): T[] {
  return isAgent(user) ? items : items.filter((n) => n.customerId === user.id);
}
