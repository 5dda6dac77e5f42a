import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@airline/shared';
import type { Attachment } from './notification.entity.ts';
import type { Channel, DeliveryStatus, Kind } from './vocabulary.ts';

/** A message ready to be queued. */
export interface NewNotification {
  channel: Channel;
  kind: Kind;
  recipient: string;
  customerId: string | null;
  bookingId: string | null;
  subject: string;
  bodyText: string;
  bodyHtml: string | null;
  attachments: Attachment[];
  /** Composing the same request twice queues nothing new (e.g. `<request id>:<channel>`). */
  dedupeKey: string;
}

/** A message as a sender works with it. */
export interface OutgoingMessage {
  id: string;
  channel: Channel;
  kind: Kind;
  recipient: string;
  customerId: string | null;
  bookingId: string | null;
  subject: string;
  bodyText: string;
  bodyHtml: string | null;
  attachments: Attachment[];
  /** Attempts so far, this one included. */
  attempts: number;
  /** Attempts made before the last replay (the retry budget counts from there). */
  retryBase: number;
  /** The claim: only the holder of this lease records the outcome. */
  leaseUntil: Date;
}

/** Queues messages (QUEUED, due now) in the caller's transaction; returns how many were new. */
export async function queueNotifications(
  em: EntityManager,
  messages: readonly NewNotification[],
): Promise<number> {
  if (!messages.length) return 0;
  const values = messages.map(
    () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, now(), now(), now())',
  );
  const params = messages.flatMap((m) => [
    randomUUID(),
    m.channel,
    m.kind,
    m.recipient,
    m.customerId,
    m.bookingId,
    m.subject,
    m.bodyText,
    m.bodyHtml,
    JSON.stringify(m.attachments),
    m.dedupeKey,
  ]);
  const inserted = await em.execute<{ id: string }[]>(
    `INSERT INTO notification (id, channel, kind, recipient, customer_id, booking_id, subject,
                               body_text, body_html, attachments, dedupe_key, next_attempt_at,
                               created_at, updated_at)
     VALUES ${values.join(', ')}
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id`,
    params,
  );
  return inserted.length;
}

interface ClaimedRow {
  id: string;
  channel: Channel;
  kind: Kind;
  recipient: string;
  customer_id: string | null;
  booking_id: string | null;
  subject: string;
  body_text: string;
  body_html: string | null;
  attachments: Attachment[];
  attempts: number;
  retry_base: number;
}

/**
 * Claims up to `limit` messages of a channel that are due, for `leaseMs`: each attempt is
 * counted when it is claimed, so a sender that dies mid-send still used an attempt, and the
 * message goes to another sender once the lease runs out (SKIP LOCKED: senders never wait for
 * each other).
 */
export async function claimDue(
  em: EntityManager,
  channel: Channel,
  limit: number,
  leaseMs: number,
): Promise<OutgoingMessage[]> {
  const leaseUntil = new Date(Date.now() + leaseMs);
  // delivery claim: due, unleased (or lease lapsed) messages of one channel, oldest due first.
  const rows = await em.execute<ClaimedRow[]>(
    `WITH due AS (
       SELECT id FROM notification
        WHERE channel = ? AND status IN ('QUEUED', 'FAILED') AND next_attempt_at <= now()
          AND (lease_until IS NULL OR lease_until < now())
        ORDER BY next_attempt_at
        LIMIT ?
        FOR UPDATE SKIP LOCKED)
     UPDATE notification n SET attempts = n.attempts + 1, lease_until = ?, updated_at = now()
       FROM due WHERE n.id = due.id
     RETURNING n.id, n.channel, n.kind, n.recipient, n.customer_id, n.booking_id, n.subject,
               n.body_text, n.body_html, n.attachments, n.attempts, n.retry_base`,
    [channel, limit, leaseUntil],
  );
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    kind: r.kind,
    recipient: r.recipient,
    customerId: r.customer_id,
    bookingId: r.booking_id,
    subject: r.subject,
    bodyText: r.body_text,
    bodyHtml: r.body_html,
    attachments: r.attachments,
    attempts: r.attempts,
    retryBase: r.retry_base,
    leaseUntil,
  }));
}

/** What became of one attempt. */
export type AttemptOutcome =
  | { status: typeof DeliveryStatus.SENT; providerMessageId: string | null }
  | { status: typeof DeliveryStatus.FAILED; error: string; nextAttemptAt: Date }
  | { status: typeof DeliveryStatus.DEAD_LETTERED; error: string }
  /** The provider was not even tried (its circuit is open): the attempt does not count. */
  | { status: 'DEFERRED'; error: string; nextAttemptAt: Date };

/**
 * Records an attempt's outcome, if the claim still holds (a sender whose lease ran out and whose
 * message another sender took over records nothing); true when recorded.
 */
export async function recordOutcome(
  em: EntityManager,
  message: Pick<OutgoingMessage, 'id' | 'leaseUntil'>,
  outcome: AttemptOutcome,
): Promise<boolean> {
  const fence = [message.id, message.leaseUntil];
  let updated: unknown[];
  switch (outcome.status) {
    case 'SENT':
      updated = await em.execute(
        `UPDATE notification SET status = 'SENT', sent_at = now(), lease_until = NULL,
                last_error = NULL, provider_message_id = ?, updated_at = now()
          WHERE id = ? AND lease_until = ? RETURNING id`,
        [outcome.providerMessageId, ...fence],
      );
      break;
    case 'FAILED':
      updated = await em.execute(
        `UPDATE notification SET status = 'FAILED', lease_until = NULL, last_error = ?,
                next_attempt_at = ?, updated_at = now()
          WHERE id = ? AND lease_until = ? RETURNING id`,
        [outcome.error, outcome.nextAttemptAt, ...fence],
      );
      break;
    case 'DEAD_LETTERED':
      updated = await em.execute(
        `UPDATE notification SET status = 'DEAD_LETTERED', lease_until = NULL, last_error = ?,
                updated_at = now()
          WHERE id = ? AND lease_until = ? RETURNING id`,
        [outcome.error, ...fence],
      );
      break;
    case 'DEFERRED':
      updated = await em.execute(
        `UPDATE notification SET attempts = attempts - 1, lease_until = NULL, last_error = ?,
                next_attempt_at = ?, updated_at = now()
          WHERE id = ? AND lease_until = ? RETURNING id`,
        [outcome.error, outcome.nextAttemptAt, ...fence],
      );
      break;
  }
  return updated.length > 0;
}
