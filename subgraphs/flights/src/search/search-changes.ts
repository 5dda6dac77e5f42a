import type { EntityManager } from '@airline/shared';

/**
 * Notes, in the caller's transaction, that flights changed in a way search must see (seats
 * booked or freed, holds taken or ended, schedule changes). The projector picks the note up
 * once the transaction has committed; a rolled-back change leaves none.
 */
export async function markSearchChanged(em: EntityManager, flightIds: string[]): Promise<void> {
  if (!flightIds.length) return;
  // search change note: an append-only insert, so writers never contend on it.
  await em.execute(`INSERT INTO search_change (flight_id) SELECT unnest(array[?]::uuid[])`, [
    flightIds,
  ]);
}
