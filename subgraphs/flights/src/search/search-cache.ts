import type { Redis } from '@airline/shared';
import type { CabinClass } from '../domain/cabin.ts';

/** One flight of a cached search: when it leaves and how many seats each cabin has free. */
export interface SearchHit {
  flightId: string;
  /** Epoch milliseconds; a cached flight that has left meanwhile is dropped on read. */
  departureMs: number;
  free: Partial<Record<CabinClass, number>>;
}

/** A cache lookup: the hit (or null) and the generation a recomputation must be stored under. */
export interface CacheLookup {
  hits: SearchHit[] | null;
  generation: string;
}

// Store only if no invalidation happened since the lookup: a search that read the read model
// before a change and finishes after its invalidation must not put the old answer back.
const SET_IF_CURRENT = `
local current = redis.call('GET', KEYS[2]) or '0'
if current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
`;

// Generations outlive the entries they guard by far; an expired generation reads as 0 again,
// which is safe because no entry older than the generation's TTL can still exist.
const GENERATION_TTL_SECONDS = 86_400;

/**
 * Search results in Redis, one entry per (origin, destination, local date), short-lived and
 * invalidated whenever a flight of that entry changes (inventory, holds, schedule). A TTL of 0
 * turns caching off.
 */
export class SearchCache {
  readonly #redis: Redis;
  readonly #ttlSeconds: number;

  constructor(redis: Redis, ttlSeconds: number) {
    this.#redis = redis;
    this.#ttlSeconds = ttlSeconds;
  }

  /** True unless caching is turned off. */
  get enabled(): boolean {
    return this.#ttlSeconds > 0;
  }

  /** The cache key of one search day on one route. */
  static key(origin: string, destination: string, date: string): string {
    return `flight-search:${origin}:${destination}:${date}`;
  }

  /** Reads an entry and its generation in one round trip. */
  async get(key: string): Promise<CacheLookup> {
    if (!this.enabled) return { hits: null, generation: '0' };
    const [value, generation] = await this.#redis.mget(key, `${key}:gen`);
    return {
      hits: value ? (JSON.parse(value) as SearchHit[]) : null,
      generation: generation ?? '0',
    };
  }

  /** Stores a computed result unless it was invalidated since `generation` was read. */
  async set(key: string, generation: string, hits: SearchHit[]): Promise<boolean> {
    if (!this.enabled) return false;
    const stored = await this.#redis.eval(
      SET_IF_CURRENT,
      2,
      key,
      `${key}:gen`,
      generation,
      JSON.stringify(hits),
      this.#ttlSeconds,
    );
    return stored === 1;
  }

  /** Drops entries and bumps their generations, so searches in flight cannot store stale answers. */
  async invalidate(keys: Iterable<string>): Promise<void> {
    const unique = [...new Set(keys)];
    if (!unique.length) return;
    const pipeline = this.#redis.multi();
    for (const key of unique) {
      pipeline.incr(`${key}:gen`);
      pipeline.expire(`${key}:gen`, GENERATION_TTL_SECONDS);
      pipeline.del(key);
    }
    await pipeline.exec();
  }
}
