import type { GraphQLClient } from '@airline/shared/testing';
import { errorCodes } from '@airline/shared/testing';
import { startStack, type TestStack } from '../testkit/stack.ts';

const REGISTER = `mutation Register($input: RegisterInput!) {
  register(input: $input) { token expiresAt customer { id email name phone role } }
}`;
const LOGIN = `mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { token customer { id email role } }
}`;
const ME = `query { me { id email name phone role passengers { id givenName familyName dateOfBirth } } }`;

let stack: TestStack;
let gw: GraphQLClient;

beforeAll(async () => {
  stack = await startStack('customers', { TRUST_PROXY: 'true' });
  gw = stack.gateway;
});
afterAll(() => stack?.stop());

let seq = 0;
const uniqueEmail = () => `traveller${++seq}.${Date.now()}@Example.COM`;

async function register(overrides: Record<string, unknown> = {}) {
  const input = {
    email: uniqueEmail(),
    password: 'correct horse 42',
    name: 'Ada Lovelace',
    ...overrides,
  };
  const data = await gw.data<{
    register: { token: string; customer: { id: string; email: string } };
  }>(REGISTER, { input });
  return { ...data.register, password: input.password, email: input.email };
}

describe('customers through the gateway', () => {
  test('a new customer registers, gets a token and sees themselves as `me`, e-mail normalised', async () => {
    const email = uniqueEmail();
    const { register: session } = await gw.data<{
      register: { token: string; customer: { id: string; email: string; role: string } };
    }>(REGISTER, {
      input: {
        email: `  ${email} `,
        password: 'correct horse 42',
        name: 'Ada',
        phone: '+447700900123',
      },
    });
    expect(session.customer.email).toBe(email.toLowerCase());
    expect(session.customer.role).toBe('CUSTOMER');
    const { me } = await gw.data<{ me: { id: string; phone: string; passengers: unknown[] } }>(
      ME,
      {},
      { token: session.token },
    );
    expect(me).toMatchObject({ id: session.customer.id, phone: '+447700900123', passengers: [] });
  });

  test('anonymous `me` is null', async () => {
    expect(await gw.data(ME)).toEqual({ me: null });
  });

  test('a forged or malformed token is UNAUTHENTICATED', async () => {
    const forged = await gw.request(ME, {}, { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA' });
    expect(errorCodes(forged)).toContain('UNAUTHENTICATED');
    const malformed = await gw.request(ME, {}, { headers: { authorization: 'Basic abc' } });
    expect(errorCodes(malformed)).toContain('UNAUTHENTICATED');
  });

  test('the same e-mail in another casing cannot register twice', async () => {
    const first = await register();
    const again = await gw.request(REGISTER, {
      input: { email: first.email.toUpperCase(), password: 'another pass 9', name: 'Impostor' },
    });
    expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);
    expect(again.errors?.[0]?.message).toMatch(/already exists/);
    // The original password still works: nothing was overwritten.
    await gw.data(LOGIN, { email: first.email, password: first.password });
  });

  test.each([
    ['malformed e-mail', { email: 'not-an-email' }, /email/],
    ['weak password', { password: 'short1' }, /password/],
    ['password without digit', { password: 'onlyletters!' }, /password/],
    ['over-long name', { name: 'x'.repeat(101) }, /name/],
    ['bad phone', { phone: '0123' }, /phone/],
  ])(
    'bad input (%s) is BAD_USER_INPUT and creates no account',
    async (_label, override, message) => {
      const email = uniqueEmail();
      const res = await gw.request(REGISTER, {
        input: { email, password: 'correct horse 42', name: 'Ada', ...override },
      });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0]?.message).toMatch(message);
      if (!('email' in override)) {
        const login = await gw.request(LOGIN, { email, password: 'correct horse 42' });
        expect(errorCodes(login)).toEqual(['UNAUTHENTICATED']);
      }
    },
  );

  test('login with a wrong password says neither which part was wrong', async () => {
    const { email } = await register();
    const wrongPassword = await gw.request(LOGIN, { email, password: 'wrong password 1' });
    const unknownEmail = await gw.request(LOGIN, {
      email: uniqueEmail(),
      password: 'wrong password 1',
    });
    expect(errorCodes(wrongPassword)).toEqual(['UNAUTHENTICATED']);
    expect(wrongPassword.errors?.[0]?.message).toBe(unknownEmail.errors?.[0]?.message);
  });

  test('after 5 wrong passwords the account is RATE_LIMITED, even with the right one', async () => {
    const { email, password } = await register();
    for (let i = 0; i < 5; i++) {
      expect(
        errorCodes(await gw.request(LOGIN, { email, password: `wrong password ${i}` })),
      ).toEqual(['UNAUTHENTICATED']);
    }
    const blocked = await gw.request(LOGIN, { email, password });
    expect(errorCodes(blocked)).toEqual(['RATE_LIMITED']);
    expect(blocked.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
  });

  test('one address is RATE_LIMITED after too many attempts on any accounts', async () => {
    const ip = '203.0.113.77';
    const results: (string | undefined)[] = [];
    for (let i = 0; i < 31; i++) {
      const res = await gw.request(
        LOGIN,
        { email: uniqueEmail(), password: 'whatever 123' },
        { headers: { 'x-forwarded-for': ip } },
      );
      results.push(errorCodes(res)[0]);
    }
    expect(results.slice(0, 30)).toEqual(Array(30).fill('UNAUTHENTICATED'));
    expect(results.at(-1)).toBe('RATE_LIMITED');
    // Another address is not affected.
    const other = await gw.request(
      LOGIN,
      { email: uniqueEmail(), password: 'whatever 123' },
      { headers: { 'x-forwarded-for': '198.51.100.1' } },
    );
    expect(errorCodes(other)).toEqual(['UNAUTHENTICATED']);
  });

  test('the configured agent logs in with role AGENT', async () => {
    const { login } = await gw.data<{ login: { customer: { role: string; email: string } } }>(
      LOGIN,
      {
        email: stack.config.agent.email,
        password: stack.config.agent.password,
      },
    );
    expect(login.customer).toMatchObject({ role: 'AGENT', email: stack.config.agent.email });
  });
});
