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
