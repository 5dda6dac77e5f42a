// Accounts against the real PostgreSQL and Redis: password upgrades, agent seeding, sign-up limits.
import type { GraphQLError } from 'graphql';
import {
  createLogger,
  createRedis,
  databaseName,
  openDatabase,
  RateLimit,
  TokenService,
  type MikroORM,
  type Redis,
} from '@airline/shared';
import { deleteKeysWithPrefix, dropDatabase, testConfig } from '@airline/shared/testing';
import { Accounts } from './accounts.ts';
import { Customer } from './customer.entity.ts';
import { LoginThrottle } from './login-throttle.ts';
import { PasswordHasher } from './password-hasher.ts';
import { hashPassword, scryptParams } from './password.ts';
import { database } from '../database.ts';

// The configured cost is 2^12 (testConfig); "weak" is the 2^10 of an older deployment.
const config = testConfig('accounts');
const WEAK = scryptParams(10);
const PASSWORD = 'correct horse 42';

/** Counts the hashes it computes, to show which paths pay for one. */
class CountingHasher extends PasswordHasher {
  hashes = 0;
  override async hash(password: string): Promise<string> {
    this.hashes++;
    return super.hash(password);
  }
}

let orm: MikroORM;
let redis: Redis;
let hasher: CountingHasher;
let accounts: Accounts;

beforeAll(async () => {
  orm = await openDatabase(config, database, createLogger(config, 'customers'));
  redis = createRedis(config, 'accounts-test');
  hasher = new CountingHasher(config.limits.passwordScryptLogN);
  accounts = new Accounts({
    tokens: new TokenService(config.jwt),
    hasher,
    loginThrottle: new LoginThrottle(redis, config.limits),
    signUpLimit: new RateLimit(redis, {
      name: 'register:ip',
      points: 3,
      windowSeconds: 60,
      message: 'Too many sign-ups from your network',
    }),
    ttlSeconds: 3600,
  });
});
afterAll(async () => {
  await orm?.close();
  redis?.disconnect();
  await dropDatabase(config, databaseName(config, 'customers'));
  await deleteKeysWithPrefix(config, config.redisPrefix);
});

let seq = 0;
const email = () => `traveller${++seq}@example.com`;
const address = () => `198.51.100.${++seq % 250}`;

const storedHash = async (e: string) =>
  (await orm.em.fork().findOneOrFail(Customer, { email: e })).passwordHash;

async function customerWithHash(hash: string): Promise<string> {
  const e = email();
  await accounts.register(orm.em.fork(), { email: e, password: PASSWORD, name: 'Ada' }, address());
  await orm.em.fork().nativeUpdate(Customer, { email: e }, { passwordHash: hash });
  return e;
}

describe('password upgrades', () => {
  test('a login with a 2^10 stored hash replaces it with one at the configured 2^12', async () => {
    const e = await customerWithHash(await hashPassword(PASSWORD, WEAK));
    await accounts.login(orm.em.fork(), { email: e, password: PASSWORD }, address());
    const upgraded = await storedHash(e);
    expect(upgraded.startsWith('scrypt$4096$8$1$')).toBe(true);
    // The new hash is of the same password.
    await accounts.login(orm.em.fork(), { email: e, password: PASSWORD }, address());
  });

  test('a wrong password leaves a weak hash untouched', async () => {
    const weak = await hashPassword(PASSWORD, WEAK);
    const e = await customerWithHash(weak);
    await expect(
      accounts.login(orm.em.fork(), { email: e, password: 'wrong horse 42' }, address()),
    ).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(await storedHash(e)).toBe(weak);
  });

  test('a hash already at the configured cost is not rewritten by a login', async () => {
    const current = await hashPassword(PASSWORD, hasher.params);
    const e = await customerWithHash(current);
    await accounts.login(orm.em.fork(), { email: e, password: PASSWORD }, address());
    expect(await storedHash(e)).toBe(current);
  });

  test('agent seeding upgrades a weaker agent hash and keeps a current one', async () => {
    const agentEmail = email();
    await accounts.ensureAgent(orm.em.fork(), agentEmail, PASSWORD);
    await orm.em
      .fork()
      .nativeUpdate(
        Customer,
        { email: agentEmail },
        { passwordHash: await hashPassword(PASSWORD, WEAK) },
      );
    await accounts.ensureAgent(orm.em.fork(), agentEmail, PASSWORD);
    const upgraded = await storedHash(agentEmail);
    expect(upgraded.startsWith('scrypt$4096$8$1$')).toBe(true);
    await accounts.ensureAgent(orm.em.fork(), agentEmail, PASSWORD);
    expect(await storedHash(agentEmail)).toBe(upgraded);
    const { customer } = await accounts.login(
      orm.em.fork(),
      { email: agentEmail, password: PASSWORD },
      address(),
    );
    expect(customer.role).toBe('AGENT');
  });
});

describe('sign-up', () => {
  test('a taken e-mail costs a password hash, as a new sign-up does (no timing difference)', async () => {
    const e = email();
    await accounts.register(
      orm.em.fork(),
      { email: e, password: PASSWORD, name: 'Ada' },
      address(),
    );
    const before = hasher.hashes;
    await expect(
      accounts.register(
        orm.em.fork(),
        { email: e, password: 'another pass 9', name: 'Impostor' },
        address(),
      ),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(hasher.hashes).toBe(before + 1);
  });

  test('sign-ups beyond the per-address limit are RATE_LIMITED before any hashing', async () => {
    const ip = address();
    for (let i = 0; i < 3; i++)
      await accounts.register(orm.em.fork(), { email: email(), password: PASSWORD, name: 'A' }, ip);
    const before = hasher.hashes;
    const refused = (await accounts
      .register(orm.em.fork(), { email: email(), password: PASSWORD, name: 'A' }, ip)
      .catch((err: unknown) => err)) as GraphQLError;
    expect(refused.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused.extensions.retryAfterSeconds).toBeGreaterThan(0);
    expect(hasher.hashes).toBe(before);
    // Another address is not affected.
    await accounts.register(
      orm.em.fork(),
      { email: email(), password: PASSWORD, name: 'A' },
      address(),
    );
  });

  test('invalid input is refused without using up the sign-up limit', async () => {
    const ip = address();
    for (let i = 0; i < 5; i++) {
      await expect(
        accounts.register(orm.em.fork(), { email: 'nope', password: PASSWORD, name: 'A' }, ip),
      ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    }
    await accounts.register(orm.em.fork(), { email: email(), password: PASSWORD, name: 'A' }, ip);
  });
});
