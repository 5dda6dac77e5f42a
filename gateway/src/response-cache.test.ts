import { Writable } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import { pino } from 'pino';
import { Redis } from '@airline/shared';
import { cleanupTestResources, testConfig, waitFor } from '@airline/shared/testing';
import type { GatewayContext } from './auth-forwarding.ts';
import { RESPONSE_CACHE_KEY_PREFIX, RedisKeyValueCache, responseCache } from './response-cache.ts';

/** A logger whose lines land in an array, parsed. */
function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as { level: number; msg: string });
      done();
    },
  });
  const logger = pino({ level: 'info' }, stream);
  const warnings = () => lines.filter((l) => l.level === 40).map((l) => l.msg);
  const infos = () => lines.filter((l) => l.level === 30).map((l) => l.msg);
  return { logger, warnings, infos };
}

const config = testConfig('respcache');
const prefix = `${config.redisPrefix}${RESPONSE_CACHE_KEY_PREFIX}`;
/** Sees Redis as it is, without a key prefix. */
const raw = new Redis(config.redisUrl);
const keys = () => raw.keys(`${prefix}*`);
afterAll(async () => {
  raw.disconnect();
  await cleanupTestResources(config);
});

describe('RedisKeyValueCache', () => {
  const { logger, warnings } = capturingLogger();
  const redis = new Redis(config.redisUrl, { keyPrefix: prefix, enableOfflineQueue: false });
  const cache = new RedisKeyValueCache(redis, logger);
  beforeAll(() => waitFor('redis ready', () => redis.status === 'ready'));
  afterAll(() => redis.disconnect());

  test('stores under the configured prefix for the TTL it is given', async () => {
    await cache.set('fqc:a', 'value a', { ttl: 30 });
    expect(await cache.get('fqc:a')).toBe('value a');
    expect(await raw.get(`${prefix}fqc:a`)).toBe('value a');
    const pttl = await raw.pttl(`${prefix}fqc:a`);
    expect(pttl).toBeGreaterThan(25_000);
    expect(pttl).toBeLessThanOrEqual(30_000);
    expect(await cache.get('fqc:missing')).toBeUndefined();
  });

  test('never stores an entry that would not expire', async () => {
    await cache.set('fqc:forever', 'x');
    await cache.set('fqc:null', 'x', { ttl: null });
    await cache.set('fqc:zero', 'x', { ttl: 0 });
    expect(await raw.exists(`${prefix}fqc:forever`, `${prefix}fqc:null`, `${prefix}fqc:zero`)).toBe(
      0,
    );
  });

  test('an entry expires with its TTL', async () => {
    await cache.set('fqc:short', 'x', { ttl: 0.05 });
    await waitFor('the entry to expire', async () => (await cache.get('fqc:short')) === undefined);
  });

  test('delete removes one entry', async () => {
    await cache.set('fqc:gone', 'x', { ttl: 30 });
    expect(await cache.delete('fqc:gone')).toBe(true);
    expect(await cache.delete('fqc:gone')).toBe(false);
    expect(await cache.get('fqc:gone')).toBeUndefined();
    expect(warnings()).toEqual([]);
  });

  test('Redis going away turns reads into misses, logged once, and its return once', async () => {
    const { logger, warnings, infos } = capturingLogger();
    const flaky = new Redis(config.redisUrl, {
      keyPrefix: prefix,
      enableOfflineQueue: false,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
    });
    const cache = new RedisKeyValueCache(flaky, logger);
    await flaky.connect();
    await cache.set('fqc:flaky', 'x', { ttl: 30 });
    flaky.disconnect();
    for (let i = 0; i < 5; i++) {
      expect(await cache.get('fqc:flaky')).toBeUndefined();
      await cache.set('fqc:other', 'y', { ttl: 30 });
      expect(await cache.delete('fqc:flaky')).toBe(false);
    }
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatch(/Redis is not answering/);
    await waitFor('the connection closed', () => flaky.status === 'end');
    await flaky.connect();
    expect(await cache.get('fqc:flaky')).toBe('x');
    expect(await cache.get('fqc:flaky')).toBe('x');
    expect(infos().filter((m) => /answers again/.test(m))).toHaveLength(1);
    flaky.disconnect();
  });
});

// Hints as the subgraphs declare them; the same plugin the gateway registers, over real Redis.
const typeDefs = `
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean)
    on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  type Query {
    greeting(name: String!): String @cacheControl(maxAge: 30)
    mine: String @cacheControl(maxAge: 30, scope: PRIVATE)
    fails: String @cacheControl(maxAge: 30)
    unhinted: String
  }
  type Mutation { bump: Int @cacheControl(maxAge: 30) }
`;

/** An Apollo Server with the response cache whose resolvers count their calls. */
async function serverWith(cfg = config) {
  const calls: Record<string, number> = {};
  const count = (field: string) => (calls[field] = (calls[field] ?? 0) + 1);
  const { logger, warnings } = capturingLogger();
  const server = new ApolloServer<GatewayContext>({
    typeDefs,
    resolvers: {
      Query: {
        greeting: (_: unknown, { name }: { name: string }) => (count('greeting'), `hello ${name}`),
        mine: () => (count('mine'), 'secret'),
        fails: () => {
          count('fails');
          throw new Error('broken');
        },
        unhinted: () => (count('unhinted'), 'x'),
      },
      Mutation: { bump: () => count('bump') },
    },
    plugins: [responseCache(cfg, logger)],
  });
  await server.start();
  const run = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await server.executeOperation(
      { query, variables },
      { contextValue: { requestId: 'r', clientIp: '127.0.0.1' } },
    );
    if (res.body.kind !== 'single') throw new Error('expected a single result');
    return { ...res.body.singleResult, headers: res.http.headers };
  };
  return { server, run, calls, warnings };
}

describe('responseCache plugin', () => {
  beforeEach(async () => {
    const left = await keys();
    if (left.length) await raw.unlink(...left);
  });

  test('a PUBLIC query is answered from Redis the second time, with an age header; other variables miss', async () => {
    const { server, run, calls } = await serverWith();
    try {
      const query = 'query($n: String!) { greeting(name: $n) }';
      const first = await run(query, { n: 'ada' });
      expect(first.data).toEqual({ greeting: 'hello ada' });
      expect(first.headers.get('cache-control')).toBe('max-age=30, public');
      expect(first.headers.get('age')).toBeUndefined();
      await waitFor('the response stored', async () => (await keys()).length > 0);
      const second = await run(query, { n: 'ada' });
      expect(second.data).toEqual({ greeting: 'hello ada' });
      expect(second.headers.get('age')).toMatch(/^\d+$/);
      expect(calls.greeting).toBe(1);
      expect((await run(query, { n: 'grace' })).data).toEqual({ greeting: 'hello grace' });
      expect(calls.greeting).toBe(2);
      expect((await keys()).every((k) => k.startsWith(`${prefix}fqc:`))).toBe(true);
    } finally {
      await server.stop();
    }
  });

  test('PRIVATE, erroneous, un-hinted and mutation responses are never stored', async () => {
    const { server, run, calls, warnings } = await serverWith();
    try {
      for (let i = 0; i < 2; i++) {
        expect((await run('{ mine }')).data).toEqual({ mine: 'secret' });
        expect((await run('{ fails }')).errors).toHaveLength(1);
        expect((await run('{ unhinted }')).headers.get('cache-control')).toBe('no-store');
        expect((await run('mutation { bump }')).data).toEqual({ bump: i + 1 });
      }
      expect(calls).toEqual({ mine: 2, fails: 2, unhinted: 2, bump: 2 });
      // Writes are in the background: give one the time it would need to land.
      await new Promise((r) => setTimeout(r, 100));
      expect(await keys()).toEqual([]);
      // The plugin's own warning for a PRIVATE response without a session hook never shows.
      expect(warnings().filter((m) => /private/i.test(m))).toEqual([]);
    } finally {
      await server.stop();
    }
  });

  test('with Redis down every query is still answered (uncached), and the outage logged once', async () => {
    const down = testConfig('respcachedown', { REDIS_URL: 'redis://127.0.0.1:1' });
    const { server, run, calls, warnings } = await serverWith(down);
    try {
      for (let i = 0; i < 3; i++)
        expect((await run('{ greeting(name: "ada") }')).data).toEqual({ greeting: 'hello ada' });
      expect(calls.greeting).toBe(3);
      expect(warnings().filter((m) => /Redis is not answering/.test(m))).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });
});
