import type { GraphQLError } from 'graphql';
import { createRedis, type Redis } from '@airline/shared';
import { deleteKeysWithPrefix, testConfig } from '@airline/shared/testing';
import { LoginThrottle, type LoginLimits } from './login-throttle.ts';

const config = testConfig('loginthrottle');
let redis: Redis;

beforeAll(() => {
  redis = createRedis(config, 'login-throttle-test');
});
afterAll(async () => {
  redis.disconnect();
  await deleteKeysWithPrefix(config, config.redisPrefix);
});

const LIMITS: LoginLimits = {
  loginPerIpPerMinute: 1000,
  loginFreeFailures: 5,
  loginAccountFreeFailures: 50,
  loginMaxBackoffSeconds: 900,
};

let seq = 0;
const account = () => `victim${++seq}@example.com`;
const address = () => `192.0.2.${++seq % 250}`;

/** The RATE_LIMITED refusal of a rejected attempt (fails the test for any other error). */
function refusal(result: PromiseSettledResult<unknown>): GraphQLError {
  if (result.status !== 'rejected') throw new Error('the attempt was let through');
  const err = result.reason as GraphQLError;
  expect(err.extensions).toMatchObject({ code: 'RATE_LIMITED' });
  expect(err.extensions.retryAfterSeconds).toBeGreaterThan(0);
  return err;
}

const attempts = (throttle: LoginThrottle, email: string, ip: string, n: number) =>
  Promise.allSettled(Array.from({ length: n }, () => throttle.begin(email, ip)));
const passed = (results: PromiseSettledResult<unknown>[]) =>
  results.filter((r) => r.status === 'fulfilled').length;

describe('LoginThrottle', () => {
  test('20 concurrent attempts on one account from one address: at most 5 may check a password', async () => {
    const throttle = new LoginThrottle(redis, LIMITS);
    const results = await attempts(throttle, account(), address(), 20);
    expect(passed(results)).toBeGreaterThan(0);
    expect(passed(results)).toBeLessThanOrEqual(5);
    results.filter((r) => r.status === 'rejected').forEach(refusal);
  });

  test("a guesser's burst does not stop the owner logging in from another address", async () => {
    const throttle = new LoginThrottle(redis, LIMITS);
    const email = account();
    await attempts(throttle, email, address(), 20);
    const owner = await throttle.begin(email, address());
    await owner.succeeded();
  });

  test('a success ends the run of failures from that address: 5 more are free again', async () => {
    const throttle = new LoginThrottle(redis, LIMITS);
    const [email, ip] = [account(), address()];
    expect(passed(await attempts(throttle, email, ip, 4))).toBe(4);
    await (await throttle.begin(email, ip)).succeeded();
    const again = [];
    for (let i = 0; i < 5; i++) again.push(await throttle.begin(email, ip));
    expect(again).toHaveLength(5);
    refusal((await attempts(throttle, email, ip, 1))[0]!);
  });

  test('an attempt whose password was never checked gives its failure back', async () => {
    const throttle = new LoginThrottle(redis, LIMITS);
    const [email, ip] = [account(), address()];
    expect(passed(await attempts(throttle, email, ip, 4))).toBe(4);
    for (let i = 0; i < 10; i++) await (await throttle.begin(email, ip)).abandoned();
    // Still only 4 failures counted: the fifth real one runs, the sixth has to wait.
    await throttle.begin(email, ip);
    refusal((await attempts(throttle, email, ip, 1))[0]!);
  });

  test('guessing spread over many addresses slows the account down, except from addresses it logged in from', async () => {
    const throttle = new LoginThrottle(redis, { ...LIMITS, loginAccountFreeFailures: 3 });
    const email = account();
    const home = address();
    await (await throttle.begin(email, home)).succeeded();
    for (let i = 0; i < 3; i++) await throttle.begin(email, address());
    refusal((await attempts(throttle, email, address(), 1))[0]!);
    // The owner at home is not held up by strangers' failures.
    await (await throttle.begin(email, home)).succeeded();
  });

  test('every attempt from one address counts against its per-minute limit, whatever the account', async () => {
    const throttle = new LoginThrottle(redis, { ...LIMITS, loginPerIpPerMinute: 3 });
    const ip = address();
    for (let i = 0; i < 3; i++) await throttle.begin(account(), ip);
    refusal((await attempts(throttle, account(), ip, 1))[0]!);
    await throttle.begin(account(), address());
  });

  test('the back-off never exceeds loginMaxBackoffSeconds', async () => {
    const throttle = new LoginThrottle(redis, {
      ...LIMITS,
      loginFreeFailures: 1,
      loginMaxBackoffSeconds: 1,
    });
    const [email, ip] = [account(), address()];
    await throttle.begin(email, ip);
    const first = refusal((await attempts(throttle, email, ip, 1))[0]!);
    expect(first.extensions.retryAfterSeconds).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    // Uncapped this failure would close the gate for 4 s.
    await throttle.begin(email, ip);
    const second = refusal((await attempts(throttle, email, ip, 1))[0]!);
    expect(second.extensions.retryAfterSeconds).toBe(1);
  });
});
