import { isAgent, type AuthUser } from '@airline/shared';
import type { PaymentEntity } from './payment.entity.ts';

/** A booking as payments references it; the bookings subgraph owns the rest of it. */
export interface BookingRef {
  id: string;
}

/**
 * The payment if the caller may see it, else null: its own customer or an agent. Anyone else
 * gets null rather than an error, so nothing tells them the payment exists.
 */
export function visiblePayment(
  user: AuthUser | null,
  payment: PaymentEntity | null,
): PaymentEntity | null {
  if (!payment || !user) return null;
  return user.id === payment.customerId || isAgent(user) ? payment : null;
}
