import { hashPassword, verifyPassword } from './password.ts';

describe('password hashing', () => {
  test('a hash verifies the right password only, and two hashes of one password differ (salt)', async () => {
    const a = await hashPassword('correct horse 42');
    const b = await hashPassword('correct horse 42');
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$16384$8$1$')).toBe(true);
    expect(await verifyPassword('correct horse 42', a)).toBe(true);
    expect(await verifyPassword('correct horse 43', a)).toBe(false);
  });

  test('a malformed stored hash never verifies', async () => {
    expect(await verifyPassword('x', 'plaintext')).toBe(false);
    expect(await verifyPassword('x', 'bcrypt$1$2$3$4$5')).toBe(false);
  });
});
