import type { FormattedExecutionResult } from 'graphql';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is { [key: string]: Json } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// The field that identifies the elements of a list, when every element has one: `id` for
// entities, `number` for seats.
function identityOf(list: Json[]): string | undefined {
  return ['id', 'number'].find((key) =>
    list.every((item) => isObject(item) && typeof item[key] === 'string'),
  );
}

function mergeValue(older: Json, newer: Json): Json {
  if (Array.isArray(older) && Array.isArray(newer)) {
    const key = identityOf([...older, ...newer]);
    if (!key) return newer;
    const merged = new Map<Json, Json>();
    for (const item of older) merged.set((item as Record<string, Json>)[key]!, item);
    for (const item of newer) {
      const id = (item as Record<string, Json>)[key]!;
      const previous = merged.get(id);
      merged.set(id, previous === undefined ? item : mergeValue(previous, item));
    }
    return [...merged.values()];
  }
  if (isObject(older) && isObject(newer)) {
    const merged = { ...older };
    for (const [key, value] of Object.entries(newer))
      merged[key] = key in older ? mergeValue(older[key]!, value) : value;
    return merged;
  }
  return newer;
}

/**
 * Folds a newer event of one subscription into an older one that the client has not received
 * yet, so a slow client gets the latest state instead of a growing backlog: fields take the
 * newer value, and lists whose elements carry an `id` (entities) or a `number` (seats) are
 * merged element by element, so seat deltas add up. A result with errors is not merged: the
 * newer one stands.
 */
export function mergeResults(
  older: FormattedExecutionResult,
  newer: FormattedExecutionResult,
): FormattedExecutionResult {
  if (older.errors?.length || newer.errors?.length) return newer;
  if (!isObject(older.data) || !isObject(newer.data)) return newer;
  return {
    ...newer,
    data: mergeValue(older.data as Json, newer.data as Json) as Record<string, unknown>,
  };
}
