import { createLogger } from '../logger.ts';
import { createRedis, type Redis } from '../redis.ts';
import { testConfig } from '../testing/config.ts';
import { deleteKeysWithPrefix } from '../testing/resources.ts';
import { LivePublisher } from './live-publisher.ts';
import { liveStream } from './live-stream.ts';
import { LiveSubscriber } from './live-subscriber.ts';
import { LiveTopic, type LiveMessage } from './topics.ts';

const config = testConfig('livepubsub');
const other = testConfig('livepubsub');
let redis: Redis;
let subscriber: LiveSubscriber;
let otherSubscriber: LiveSubscriber;

beforeAll(() => {
  redis = createRedis(config, 'test');
  const logger = createLogger(config, 'shared');
  subscriber = new LiveSubscriber(config.redisUrl, config.redisPrefix, logger, 'test');
  otherSubscriber = new LiveSubscriber(other.redisUrl, other.redisPrefix, logger, 'other');
});
afterAll(async () => {
  subscriber.close();
  otherSubscriber.close();
  redis.disconnect();
  await deleteKeysWithPrefix(config, config.redisPrefix);
});

const collect = async (s: LiveSubscriber, id: string) => {
  const got: LiveMessage[] = [];
  const stop = await s.listen(LiveTopic.SeatMap, id, (m) => got.push(m));
  return { got, stop };
};
const settle = () => new Promise((r) => setTimeout(r, 50));

test('keyed state: only changed entries are published, each message with the next version, and only within its own prefix', async () => {
  const publisher = new LivePublisher(redis, config.redisPrefix);
  const mine = await collect(subscriber, 'f1');
  const theirs = await collect(otherSubscriber, 'f1');
  const first = await publisher.publishChanges(
    LiveTopic.SeatMap,
    'f1',
    new Map([
      ['1A', 'HELD'],
      ['1B', 'HELD'],
    ]),
  );
  const none = await publisher.publishChanges(LiveTopic.SeatMap, 'f1', new Map([['1A', 'HELD']]));
  const second = await publisher.publishChanges(
    LiveTopic.SeatMap,
    'f1',
    new Map([
      ['1A', 'AVAILABLE'],
      ['1B', 'HELD'],
    ]),
  );
  await settle();
  expect([first, none, second]).toEqual([1, 0, 2]);
  expect(mine.got.map((m) => [m.version, m.payload])).toEqual([
    [1, { '1A': 'HELD', '1B': 'HELD' }],
    [2, { '1A': 'AVAILABLE' }],
  ]);
  expect(theirs.got).toEqual([]);
  mine.stop();
  theirs.stop();
  expect(subscriber.channels).toBe(0);
});

test('versioned messages: a version already published is dropped', async () => {
  const publisher = new LivePublisher(redis, config.redisPrefix);
  const versions = [];
  for (const v of [1, 2, 2, 1, 3])
    versions.push(await publisher.publishVersioned(LiveTopic.BookingStatus, 'b1', v, {}));
  expect(versions).toEqual([1, 2, 0, 0, 3]);
});

test('a stream starts with its snapshot and then passes only newer versions; many listeners share one channel', async () => {
  const publisher = new LivePublisher(redis, config.redisPrefix);
  const streams = await Promise.all(
    [1, 2, 3].map(() =>
      liveStream(subscriber, LiveTopic.SeatMap, 'f2', {
        snapshot: async () => ({ version: 0, occurredAt: '', payload: { '9A': 'AVAILABLE' } }),
      }),
    ),
  );
  expect(subscriber.channels).toBe(1);
  await publisher.publishChanges(LiveTopic.SeatMap, 'f2', new Map([['9A', 'HELD']]));
  for (const stream of streams) {
    expect((await stream.next()).value.payload).toEqual({ '9A': 'AVAILABLE' });
    expect((await stream.next()).value).toMatchObject({ version: 1, payload: { '9A': 'HELD' } });
    await stream.return();
  }
  expect(subscriber.channels).toBe(0);
});
