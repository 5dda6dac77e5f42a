import { generateKeyPairSync } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { SignJWT } from 'jose';
import { Role, TokenService, requireAgent } from './auth.ts';
import { loadConfig } from './config.ts';

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return err instanceof GraphQLError ? err.extensions.code : 'not a GraphQLError';
  }
  return 'no error';
};

/** Runs `fn` with the clock (`Date.now()` and `new Date()`) stopped at `ms`. */
async function at<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  const RealDate = Date;
  globalThis.Date = class extends RealDate {
    constructor(...args: ConstructorParameters<typeof Date>) {
      super(...((args.length ? args : [ms]) as [number]));
    }
    static override now = () => ms;
  } as DateConstructor;
  try {
    return await fn();
  } finally {
    globalThis.Date = RealDate;
  }
}

describe('tokens', () => {
  const tokens = new TokenService(loadConfig({}).jwt);

  test('a signed token verifies back to the same user and roles', async () => {
    const token = await tokens.sign({ id: 'c1', roles: [Role.AGENT] });
    expect(await tokens.fromHeader(`Bearer ${token}`)).toEqual({ id: 'c1', roles: ['AGENT'] });
  });

  test('a token signed with another secret, a tampered one and an expired one are UNAUTHENTICATED', async () => {
    const other = new TokenService(
      loadConfig({ JWT_SECRET: 'another-secret-that-is-long-enough-1234' }).jwt,
    );
    const foreign = await other.sign({ id: 'c1', roles: [Role.AGENT] });
    expect(await codeOf(tokens.verify(foreign))).toBe('UNAUTHENTICATED');
    const good = await tokens.sign({ id: 'c1', roles: [Role.CUSTOMER] });
    const [h, , s] = good.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ sub: 'c1', roles: ['AGENT'], iss: 'airline-supergraph' }),
    ).toString('base64url');
    expect(await codeOf(tokens.verify(`${h}.${forgedPayload}.${s}`))).toBe('UNAUTHENTICATED');
    const shortLived = new TokenService({ ...loadConfig({}).jwt, ttlSeconds: -10 });
    expect(await codeOf(tokens.verify(await shortLived.sign({ id: 'c1', roles: [] })))).toBe(
      'UNAUTHENTICATED',
    );
  });

  test('a token without an expiry, or for another audience, is UNAUTHENTICATED', async () => {
    const key = new TextEncoder().encode(loadConfig({}).jwt.secret);
    const noExpiry = await new SignJWT({ roles: [Role.AGENT] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('c1')
      .setIssuer('airline-supergraph')
      .setAudience('airline-api')
      .sign(key);
    expect(await codeOf(tokens.verify(noExpiry))).toBe('UNAUTHENTICATED');
    const otherAudience = new TokenService({ ...loadConfig({}).jwt, audience: 'another-api' });
    expect(
      await codeOf(tokens.verify(await otherAudience.sign({ id: 'c1', roles: [Role.AGENT] }))),
    ).toBe('UNAUTHENTICATED');
  });

  test('RS256 with a key pair; a verify-only service cannot sign', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const signer = new TokenService({
      ...loadConfig({}).jwt,
      secret: undefined,
      privateKey,
      publicKey,
    });
    const verifier = new TokenService({ ...loadConfig({}).jwt, secret: undefined, publicKey });
    const token = await signer.sign({ id: 'c9', roles: [Role.CUSTOMER] });
    expect(token.split('.')[0]).toBe(Buffer.from('{"alg":"RS256"}').toString('base64url'));
    expect(await verifier.verify(token)).toEqual({ id: 'c9', roles: ['CUSTOMER'] });
    await expect(verifier.sign({ id: 'x', roles: [] })).rejects.toThrow(/private key/);
  });

  test('a verified token served from the cache still expires at its exp', async () => {
    const shortLived = new TokenService({ ...loadConfig({}).jwt, ttlSeconds: 60 });
    const token = await shortLived.sign({ id: 'c1', roles: [Role.CUSTOMER] });
    const exp = (
      JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
        exp: number;
      }
    ).exp;
    expect(await shortLived.verify(token)).toEqual({ id: 'c1', roles: ['CUSTOMER'] });
    expect(await at(exp * 1000 - 1001, () => shortLived.verify(token))).toEqual({
      id: 'c1',
      roles: ['CUSTOMER'],
    });
    expect(await at(exp * 1000, () => codeOf(shortLived.verify(token)))).toBe('UNAUTHENTICATED');
  });

  test('a tampered copy of a cached token is never served from the cache', async () => {
    const token = await tokens.sign({ id: 'c1', roles: [Role.CUSTOMER] });
    const user = await tokens.verify(token);
    user.roles.push(Role.AGENT);
    expect(await tokens.verify(token)).toEqual({ id: 'c1', roles: ['CUSTOMER'] });
    const [h, p, s] = token.split('.') as [string, string, string];
    const promoted = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(p, 'base64url').toString()),
        roles: [Role.AGENT],
      }),
    ).toString('base64url');
    expect(await codeOf(tokens.verify(`${h}.${promoted}.${s}`))).toBe('UNAUTHENTICATED');
    const flipped = s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.at(-1);
    expect(await codeOf(tokens.verify(`${h}.${p}.${flipped}`))).toBe('UNAUTHENTICATED');
  });

  test('no header is anonymous; a non-bearer header is rejected', async () => {
    expect(await tokens.fromHeader(undefined)).toBeNull();
    expect(await codeOf(tokens.fromHeader('Basic dXNlcjpwYXNz'))).toBe('UNAUTHENTICATED');
  });

  test('only agents pass requireAgent', () => {
    expect(() => requireAgent(null)).toThrow(/logged in/);
    expect(() => requireAgent({ id: 'c', roles: [Role.CUSTOMER] })).toThrow(/AGENT/);
    expect(requireAgent({ id: 'a', roles: [Role.AGENT] }).id).toBe('a');
  });
});
