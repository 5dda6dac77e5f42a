import { hashPassword, needsUpgrade, scryptParams, verifyPassword } from './password.ts';

const TEST_COST = scryptParams(10);

describe('password hashing', () => {
  test('a hash verifies the right password only, and two hashes of one password differ (salt)', async () => {
    const a = await hashPassword('correct horse 42', TEST_COST);
    const b = await hashPassword('correct horse 42', TEST_COST);
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('correct horse 42', a)).toBe(true);
    expect(await verifyPassword('correct horse 43', a)).toBe(false);
  });

  test("OWASP's cost: log N 17 is N = 2^17, r = 8, p = 1, and its 128 MiB fit under maxmem", async () => {
    expect(scryptParams(17)).toEqual({ N: 131_072, r: 8, p: 1 });
    const hash = await hashPassword('correct horse 42', scryptParams(17));
    expect(hash.startsWith('scrypt$131072$8$1$')).toBe(true);
    expect(await verifyPassword('correct horse 42', hash)).toBe(true);
  });

  test('a hash made with older parameters (N = 2^14) still verifies with its own parameters', async () => {
    const legacy = await hashPassword('correct horse 42', { N: 16_384, r: 8, p: 1 });
    expect(legacy.startsWith('scrypt$16384$8$1$')).toBe(true);
    expect(await verifyPassword('correct horse 42', legacy)).toBe(true);
    expect(await verifyPassword('correct horse 43', legacy)).toBe(false);
  });

  test('a malformed stored hash never verifies', async () => {
    expect(await verifyPassword('x', 'plaintext')).toBe(false);
    expect(await verifyPassword('x', 'bcrypt$1$2$3$4$5')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$1000$8$1$c2FsdA==$a2V5')).toBe(false);
  });

  test('a stored hash with absurd parameters is refused without being run', async () => {
    // 2^30 with r = 8 would ask for 1 TiB: parsing refuses it before scrypt allocates anything.
    expect(await verifyPassword('x', 'scrypt$1073741824$8$1$c2FsdA==$a2V5')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$1024$4096$1$c2FsdA==$a2V5')).toBe(false);
  });
});

describe('upgrade detection', () => {
  const target = scryptParams(12);

  test('a hash with a smaller N, r or p than the configured cost needs an upgrade', async () => {
    expect(needsUpgrade(await hashPassword('pw 1', scryptParams(10)), target)).toBe(true);
    expect(needsUpgrade(await hashPassword('pw 1', { N: 4096, r: 4, p: 1 }), target)).toBe(true);
    expect(needsUpgrade(await hashPassword('pw 1', { N: 4096, r: 8, p: 1 }), target)).toBe(false);
    expect(needsUpgrade(await hashPassword('pw 1', { N: 2048, r: 8, p: 2 }), target)).toBe(true);
  });

  test('a hash at or above the configured cost is kept: lowering the setting never weakens one', async () => {
    expect(needsUpgrade(await hashPassword('pw 1', target), target)).toBe(false);
    expect(needsUpgrade(await hashPassword('pw 1', scryptParams(13)), target)).toBe(false);
  });

  test('a malformed hash is not "upgraded" (it can never verify in the first place)', () => {
    expect(needsUpgrade('plaintext', target)).toBe(false);
  });
});
