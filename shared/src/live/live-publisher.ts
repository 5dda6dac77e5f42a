import type { Redis } from 'ioredis';
import { liveChannel, liveStateKey, liveVersionKey, type LiveTopic } from './topics.ts';

// How long an entity's version counter and last state outlive its last message: long enough that
// a version never restarts while a flight or booking is still live.
const RETENTION_MS = 90 * 86_400_000;

// One message per call: the version is incremented and the message published in the same script,
// so two publishers (replicas) never hand out one version twice or publish out of version order.
// The message is assembled as text: a cjson round trip would turn an empty list into an object.
const PUBLISH_SCRIPT = `
local v = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PUBLISH', ARGV[1], '{"version":' .. v .. ',"occurredAt":' .. cjson.encode(ARGV[2]) .. ',"payload":' .. ARGV[3] .. '}')
return v
`;

// A message whose version the entity already has (a booking's status version): published only
// when it is newer than the last one, so a redelivered or late event is never shown twice.
const VERSIONED_SCRIPT = `
local v = tonumber(ARGV[5])
if v <= tonumber(redis.call('GET', KEYS[1]) or '0') then return 0 end
redis.call('SET', KEYS[1], v, 'PX', ARGV[4])
redis.call('PUBLISH', ARGV[1], '{"version":' .. v .. ',"occurredAt":' .. cjson.encode(ARGV[2]) .. ',"payload":' .. ARGV[3] .. '}')
return v
`;

// Keyed state (a seat map: seat -> status): only the entries that differ from the last published
// state are published, so a repeated or no-op change sends nothing and costs no version.
const STATE_SCRIPT = `
local changed = {}
for i = 4, #ARGV, 2 do
  if redis.call('HGET', KEYS[2], ARGV[i]) ~= ARGV[i + 1] then
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
    table.insert(changed, cjson.encode(ARGV[i]) .. ':' .. cjson.encode(ARGV[i + 1]))
  end
end
if #changed == 0 then return 0 end
local v = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('PUBLISH', ARGV[1], '{"version":' .. v .. ',"occurredAt":' .. cjson.encode(ARGV[2]) .. ',"payload":{' .. table.concat(changed, ',') .. '}}')
return v
`;

/** Publishes live messages on per-entity Redis channels, each with the entity's next version. */
export class LivePublisher {
  readonly #redis: Redis;
  readonly #prefix: string;

  /** `redisPrefix` is the deployment's prefix (config.redisPrefix), added to channel names. */
  constructor(redis: Redis, redisPrefix: string) {
    this.#redis = redis;
    this.#prefix = redisPrefix;
  }

  /** Publishes one message about an entity; returns the version it got. */
  async publish(
    topic: LiveTopic,
    entityId: string,
    payload: object,
    occurredAt = new Date().toISOString(),
  ): Promise<number> {
    return (await this.#redis.eval(
      PUBLISH_SCRIPT,
      1,
      liveVersionKey(topic, entityId),
      liveChannel(this.#prefix, topic, entityId),
      occurredAt,
      JSON.stringify(payload),
      RETENTION_MS,
    )) as number;
  }

  /**
   * Publishes one message with the entity's own version (e.g. a status version kept with the
   * entity); returns it, or 0 when a message of that or a later version was already published.
   */
  async publishVersioned(
    topic: LiveTopic,
    entityId: string,
    version: number,
    payload: object,
    occurredAt = new Date().toISOString(),
  ): Promise<number> {
    return (await this.#redis.eval(
      VERSIONED_SCRIPT,
      1,
      liveVersionKey(topic, entityId),
      liveChannel(this.#prefix, topic, entityId),
      occurredAt,
      JSON.stringify(payload),
      RETENTION_MS,
      version,
    )) as number;
  }

  /**
   * Publishes the entries of an entity's keyed state that changed since the last call (the
   * payload is `{ key: value }` of those only); returns the version, or 0 when nothing changed.
   */
  async publishChanges(
    topic: LiveTopic,
    entityId: string,
    state: ReadonlyMap<string, string>,
    occurredAt = new Date().toISOString(),
  ): Promise<number> {
    if (!state.size) return 0;
    return (await this.#redis.eval(
      STATE_SCRIPT,
      2,
      liveVersionKey(topic, entityId),
      liveStateKey(topic, entityId),
      liveChannel(this.#prefix, topic, entityId),
      occurredAt,
      RETENTION_MS,
      ...[...state].flat(),
    )) as number;
  }
}
