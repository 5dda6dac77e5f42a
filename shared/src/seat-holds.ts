import type { Redis } from 'ioredis';

/**
 * Seat holds live in Redis, written by bookings and read by flights (seat maps, availability,
 * search). One key per seat, `seat-hold:<flightId>:<seat>`, whose value is the holding booking's
 * id: the fencing token, so only that booking can extend or release it. The key's TTL is the hold.
 */
export const seatHoldKey = (flightId: string, seat: string): string =>
  `seat-hold:${flightId}:${seat}`;

// All-or-nothing hold: if any seat is held by another booking, nothing is written and the taken
// seats are returned; otherwise every seat is (re)set with the TTL. Atomic because Redis runs a
// script without interleaving other commands.
const HOLD_SCRIPT = `
local taken = {}
for i, key in ipairs(KEYS) do
  local owner = redis.call('GET', key)
  if owner and owner ~= ARGV[1] then table.insert(taken, i) end
end
if #taken > 0 then return taken end
for _, key in ipairs(KEYS) do redis.call('SET', key, ARGV[1], 'PX', ARGV[2]) end
return {}
`;

// Release or extend only what this booking still owns: a hold that expired and was taken by
// someone else must not be touched (fencing).
const RELEASE_SCRIPT = `
local n = 0
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key); n = n + 1 end
end
return n
`;
const EXTEND_SCRIPT = `
local n = 0
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('PEXPIRE', key, ARGV[2]); n = n + 1 end
end
return n
`;

/** The outcome of a hold attempt. */
export type HoldResult = { ok: true } | { ok: false; taken: string[] };

/** Atomic seat holds in Redis with the booking id as fencing token. */
export class SeatHolds {
  readonly #redis: Redis;

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  /** Holds every seat for the booking, or none of them when one is held by someone else. */
  async hold(
    flightId: string,
    seats: string[],
    bookingId: string,
    ttlMs: number,
  ): Promise<HoldResult> {
    const keys = seats.map((s) => seatHoldKey(flightId, s));
    const taken = (await this.#redis.eval(
      HOLD_SCRIPT,
      keys.length,
      ...keys,
      bookingId,
      ttlMs,
    )) as number[];
    return taken.length ? { ok: false, taken: taken.map((i) => seats[i - 1]!) } : { ok: true };
  }

  /** Releases the seats this booking still holds; returns how many. */
  async release(flightId: string, seats: string[], bookingId: string): Promise<number> {
    if (!seats.length) return 0;
    const keys = seats.map((s) => seatHoldKey(flightId, s));
    return (await this.#redis.eval(RELEASE_SCRIPT, keys.length, ...keys, bookingId)) as number;
  }

  /** Extends the hold of seats this booking still owns (a payment in progress); returns how many. */
  async extend(
    flightId: string,
    seats: string[],
    bookingId: string,
    ttlMs: number,
  ): Promise<number> {
    if (!seats.length) return 0;
    const keys = seats.map((s) => seatHoldKey(flightId, s));
    return (await this.#redis.eval(
      EXTEND_SCRIPT,
      keys.length,
      ...keys,
      bookingId,
      ttlMs,
    )) as number;
  }

  /** Which of a flight's seats are held right now, and by which booking (one round trip). */
  async heldSeats(flightId: string, seats: string[]): Promise<Map<string, string>> {
    if (!seats.length) return new Map();
    const owners = await this.#redis.mget(...seats.map((s) => seatHoldKey(flightId, s)));
    const held = new Map<string, string>();
    owners.forEach((owner, i) => owner && held.set(seats[i]!, owner));
    return held;
  }

  /** Held seats of many flights in one pipelined round trip (search, availability). */
  async heldSeatsOfFlights(
    flights: { id: string; seats: string[] }[],
  ): Promise<Map<string, Map<string, string>>> {
    const pipeline = this.#redis.pipeline();
    for (const f of flights)
      if (f.seats.length) pipeline.mget(...f.seats.map((s) => seatHoldKey(f.id, s)));
    const replies = (await pipeline.exec()) ?? [];
    const result = new Map<string, Map<string, string>>();
    let r = 0;
    for (const f of flights) {
      const held = new Map<string, string>();
      if (f.seats.length) {
        const [err, owners] = replies[r++]!;
        if (err) throw err;
        (owners as (string | null)[]).forEach((owner, i) => owner && held.set(f.seats[i]!, owner));
      }
      result.set(f.id, held);
    }
    return result;
  }
}
