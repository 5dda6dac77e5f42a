import type { EntityManager } from '@airline/shared';
import type { Channel } from './vocabulary.ts';

// A replay gives a dead-lettered message a fresh retry budget (retry_base = attempts) and makes
// it due now. It only applies to a message that is DEAD_LETTERED at that moment, in one
// conditional UPDATE: replaying twice, or replaying a message already requeued or sent, changes
// nothing, so it can never cause a second send. The message keeps its id, which is its
// Message-ID / idempotency key at the provider.

/** Requeues one dead-lettered message; false when it is not dead-lettered (or does not exist). */
export async function replayOne(em: EntityManager, id: string): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `UPDATE notification SET status = 'QUEUED', retry_base = attempts, next_attempt_at = now(),
            lease_until = NULL, updated_at = now()
      WHERE id = ? AND status = 'DEAD_LETTERED' RETURNING id`,
    [id],
  );
  return rows.length > 0;
}

/** Requeues every dead-lettered message (of one channel); returns how many. */
export async function replayAll(em: EntityManager, channel: Channel | null): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `UPDATE notification SET status = 'QUEUED', retry_base = attempts, next_attempt_at = now(),
            lease_until = NULL, updated_at = now()
      WHERE status = 'DEAD_LETTERED' AND (?::text IS NULL OR channel = ?) RETURNING id`,
    [channel, channel],
  );
  return rows.length;
}
