import { addPassengerInput, registerInput } from './customer.validation.ts';

describe('customer input rules', () => {
  const ok = { email: ' Ada@Example.COM ', password: 'correct horse 42', name: ' Ada ' };

  test('e-mail is trimmed and lower-cased, name trimmed', () => {
    expect(registerInput.parse(ok)).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
  });

  test.each([
    [{ password: 'short1' }, 'password'],
    [{ password: 'x'.repeat(129) + '1' }, 'password'],
    [{ password: 'no digits here' }, 'password'],
    [{ email: 'a@b' }, 'email'],
    [{ email: `${'a'.repeat(250)}@example.com` }, 'email'],
    [{ name: '' }, 'name'],
    [{ phone: '+0123456' }, 'phone'],
  ])('%o is refused on %s', (override, field) => {
    const result = registerInput.safeParse({ ...ok, ...override });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });

  test('a passenger must be born between 1900 and today', () => {
    expect(
      addPassengerInput.safeParse({ givenName: 'A', familyName: 'B', dateOfBirth: '1899-12-31' })
        .success,
    ).toBe(false);
    expect(
      addPassengerInput.safeParse({ givenName: 'A', familyName: 'B', dateOfBirth: '1985-05-05' })
        .success,
    ).toBe(true);
  });
});
