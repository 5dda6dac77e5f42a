import type { GraphQLError } from 'graphql';
import { PasswordHasher } from './password-hasher.ts';
import { hashPassword, scryptParams } from './password.ts';

describe('PasswordHasher', () => {
  test('hashes at the configured cost and asks to upgrade only weaker hashes', async () => {
    const hasher = new PasswordHasher(11);
    const hash = await hasher.hash('correct horse 42');
    expect(hash.startsWith('scrypt$2048$8$1$')).toBe(true);
    expect(await hasher.verify('correct horse 42', hash)).toBe(true);
    expect(hasher.needsUpgrade(hash)).toBe(false);
    expect(hasher.needsUpgrade(await hashPassword('correct horse 42', scryptParams(10)))).toBe(
      true,
    );
  });

  test('an unknown e-mail is checked against a dummy hash and never verifies', async () => {
    const hasher = new PasswordHasher(10);
    expect(await hasher.verifyUnknown('correct horse 42')).toBe(false);
    expect(await hasher.verifyUnknown('')).toBe(false);
  });

  test('with one hash running and one waiting, a third at the same moment is RATE_LIMITED', async () => {
    const hasher = new PasswordHasher(10, { concurrent: 1, queued: 1 });
    const results = await Promise.allSettled([
      hasher.hash('first password 1'),
      hasher.hash('second password 2'),
      hasher.hash('third password 3'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const refusal = (results[2] as PromiseRejectedResult).reason as GraphQLError;
    expect(refusal.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });
    // The refusal freed nothing it did not hold: the next hash runs normally.
    expect((await hasher.hash('fourth password 4')).startsWith('scrypt$1024$')).toBe(true);
  });

  test('work that can wait (a hash upgrade) gives up at once while hashing is busy', async () => {
    const hasher = new PasswordHasher(10, { concurrent: 1, queued: 0 });
    const [login, upgrade] = await Promise.all([
      hasher.hash('first password 1'),
      hasher.hashUnlessBusy('second password 2'),
    ]);
    expect(login.startsWith('scrypt$1024$')).toBe(true);
    expect(upgrade).toBeUndefined();
    expect((await hasher.hashUnlessBusy('third password 3'))?.startsWith('scrypt$1024$')).toBe(
      true,
    );
  });
});
