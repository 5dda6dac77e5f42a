import type { GraphQLClient, GraphQLResponse } from '@airline/shared/testing';
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

// Limits small enough to reach in a test; the gateway takes the client address from
// X-Forwarded-For because the test talks to it over loopback.
const LIMITS = {
  RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: '30',
  RATE_LIMIT_REGISTER_PER_IP_PER_MINUTE: '5',
  LOGIN_FREE_FAILURES: '5',
  LOGIN_ACCOUNT_FREE_FAILURES: '10',
};

beforeAll(async () => {
  stack = await startStack('customers', { TRUST_PROXY: 'loopback', ...LIMITS });
  gw = stack.gateway;
});
afterAll(() => stack?.stop());

let seq = 0;
const uniqueEmail = () => `traveller${++seq}.${Date.now()}@Example.COM`;
/** A client address of its own, so one test's per-address counters never touch another's. */
const newAddress = () => `198.18.${Math.floor(++seq / 250)}.${(seq % 250) + 1}`;
const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
const retryAfter = (res: GraphQLResponse<unknown>) =>
  res.errors?.[0]?.extensions?.retryAfterSeconds as number;
const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

async function register(overrides: Record<string, unknown> = {}, address = newAddress()) {
  const input = {
    email: uniqueEmail(),
    password: 'correct horse 42',
    name: 'Ada Lovelace',
    ...overrides,
  };
  const data = await gw.data<{
    register: { token: string; customer: { id: string; email: string } };
  }>(REGISTER, { input }, from(address));
  return { ...data.register, password: input.password, email: input.email };
}

const login = (email: string, password: string, address: string) =>
  gw.request(LOGIN, { email, password }, from(address));

describe('customers through the gateway', () => {
  test('a new customer registers, gets a token and sees themselves as `me`, e-mail normalised', async () => {
    const email = uniqueEmail();
    const { register: session } = await gw.data<{
      register: { token: string; customer: { id: string; email: string; role: string } };
    }>(
      REGISTER,
      {
        input: {
          email: `  ${email} `,
          password: 'correct horse 42',
          name: 'Ada',
          phone: '+447700900123',
        },
      },
      from(newAddress()),
    );
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
    const address = newAddress();
    const first = await register({}, address);
    const again = await gw.request(
      REGISTER,
      {
        input: { email: first.email.toUpperCase(), password: 'another pass 9', name: 'Impostor' },
      },
      from(address),
    );
    expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);
    expect(again.errors?.[0]?.message).toMatch(/already exists/);
    // The original password still works: nothing was overwritten.
    await gw.data(LOGIN, { email: first.email, password: first.password }, from(address));
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
      const address = newAddress();
      const res = await gw.request(
        REGISTER,
        { input: { email, password: 'correct horse 42', name: 'Ada', ...override } },
        from(address),
      );
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0]?.message).toMatch(message);
      if (!('email' in override)) {
        expect(errorCodes(await login(email, 'correct horse 42', address))).toEqual([
          'UNAUTHENTICATED',
        ]);
      }
    },
  );

  test('login with a wrong password says neither which part was wrong', async () => {
    const address = newAddress();
    const { email } = await register({}, address);
    const wrongPassword = await login(email, 'wrong password 1', address);
    const unknownEmail = await login(uniqueEmail(), 'wrong password 1', address);
    expect(errorCodes(wrongPassword)).toEqual(['UNAUTHENTICATED']);
    expect(wrongPassword.errors?.[0]?.message).toBe(unknownEmail.errors?.[0]?.message);
  });

  test('after 5 wrong passwords in a row one address backs off, even with the right one; the owner elsewhere gets in', async () => {
    const { email, password } = await register();
    const guesser = newAddress();
    for (let i = 0; i < 5; i++) {
      expect(errorCodes(await login(email, `wrong password ${i}`, guesser))).toEqual([
        'UNAUTHENTICATED',
      ]);
    }
    const blocked = await login(email, password, guesser);
    expect(errorCodes(blocked)).toEqual(['RATE_LIMITED']);
    expect(retryAfter(blocked)).toBeGreaterThan(0);
    expect(errorCodes(await login(email, password, newAddress()))).toEqual([]);
  });

  test('20 concurrent wrong passwords from one address: at most 5 are checked, the rest RATE_LIMITED; the owner from another address still gets in', async () => {
    const { email, password } = await register();
    const guesser = newAddress();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login(email, `wrong password ${i}`, guesser)),
    );
    const codes = answers.map((res) => errorCodes(res)[0]);
    const checked = codes.filter((code) => code === 'UNAUTHENTICATED').length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(5);
    const refused = answers.filter((res) => errorCodes(res)[0] === 'RATE_LIMITED');
    expect(refused).toHaveLength(20 - checked);
    for (const res of refused) expect(retryAfter(res)).toBeGreaterThan(0);

    const owner = await login(email, password, newAddress());
    expect(errorCodes(owner)).toEqual([]);
  });

  test('a guesser keeps being slowed: each further failure doubles the wait', async () => {
    const { email } = await register();
    const guesser = newAddress();
    for (let i = 0; i < 5; i++) await login(email, `wrong password ${i}`, guesser);
    const first = await login(email, 'wrong password 5', guesser);
    expect(errorCodes(first)).toEqual(['RATE_LIMITED']);

    await sleep(retryAfter(first) + 0.1);
    expect(errorCodes(await login(email, 'wrong password 6', guesser))).toEqual([
      'UNAUTHENTICATED',
    ]);
    const second = await login(email, 'wrong password 7', guesser);
    expect(errorCodes(second)).toEqual(['RATE_LIMITED']);
    expect(retryAfter(second)).toBeGreaterThan(retryAfter(first));
  });

  test('guessing spread over many addresses slows the account, but not from where the owner logged in before', async () => {
    const home = newAddress();
    const { email, password } = await register({}, home);
    expect(errorCodes(await login(email, password, home))).toEqual([]);
    // LOGIN_ACCOUNT_FREE_FAILURES = 10, one wrong password from each of 10 addresses.
    for (let i = 0; i < 10; i++) {
      expect(errorCodes(await login(email, `wrong password ${i}`, newAddress()))).toEqual([
        'UNAUTHENTICATED',
      ]);
    }
    const stranger = await login(email, 'wrong password 10', newAddress());
    expect(errorCodes(stranger)).toEqual(['RATE_LIMITED']);
    expect(retryAfter(stranger)).toBeGreaterThan(0);
    expect(errorCodes(await login(email, password, home))).toEqual([]);
  });

  test('sign-ups beyond the per-address limit are RATE_LIMITED; other addresses still sign up', async () => {
    const address = newAddress();
    // RATE_LIMIT_REGISTER_PER_IP_PER_MINUTE = 5
    for (let i = 0; i < 5; i++) await register({}, address);
    const refused = await gw.request(
      REGISTER,
      { input: { email: uniqueEmail(), password: 'correct horse 42', name: 'Ada' } },
      from(address),
    );
    expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
    expect(retryAfter(refused)).toBeGreaterThan(0);
    await register({}, newAddress());
  });

  test('one address is RATE_LIMITED after too many attempts on any accounts', async () => {
    // RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE = 30
    const ip = newAddress();
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
      from(newAddress()),
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
