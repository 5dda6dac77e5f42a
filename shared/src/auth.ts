import {
  SignJWT,
  jwtVerify,
  importPKCS8,
  importSPKI,
  errors as joseErrors,
  type CryptoKey,
  type JWTPayload,
} from 'jose';
import { GraphQLError } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Config } from './config.ts';
import { forbidden, unauthenticated } from './errors.ts';

/** Roles a token can carry (DESIGN §2: customers and airline staff). */
export const Role = { CUSTOMER: 'CUSTOMER', AGENT: 'AGENT' } as const;
/** One role. */
export type Role = (typeof Role)[keyof typeof Role];

/** Who is calling, as proven by a verified token. */
export interface AuthUser {
  id: string;
  roles: Role[];
}

/** Signs and verifies access tokens: HS256 with a shared secret, or RS256 with a key pair. */
export class TokenService {
  readonly #issuer: string;
  readonly #audience: string;
  readonly #ttlSeconds: number;
  readonly #alg: 'HS256' | 'RS256';
  readonly #signKey: Promise<Uint8Array | CryptoKey>;
  readonly #verifyKey: Promise<Uint8Array | CryptoKey>;
  /**
   * Tokens this service has verified, each until its `exp` and never past it: verifying a
   * signature costs about 100 µs, and the gateway and every subgraph verify the same token on
   * each request. A tampered token is another string, so it misses and is verified in full.
   */
  readonly #verified = new LRUCache<string, { user: AuthUser; expiresAtMs: number }>({
    max: 10_000,
  });

  constructor(jwt: Config['jwt']) {
    this.#issuer = jwt.issuer;
    this.#audience = jwt.audience;
    this.#ttlSeconds = jwt.ttlSeconds;
    if (jwt.privateKey && jwt.publicKey) {
      this.#alg = 'RS256';
      this.#signKey = importPKCS8(jwt.privateKey, 'RS256');
      this.#verifyKey = importSPKI(jwt.publicKey, 'RS256');
    } else if (jwt.publicKey && !jwt.secret) {
      // Verify-only services (everything but customers) may hold just the public key.
      this.#alg = 'RS256';
      this.#signKey = Promise.reject(new Error('this process has no JWT private key'));
      this.#signKey.catch(() => undefined);
      this.#verifyKey = importSPKI(jwt.publicKey, 'RS256');
    } else if (jwt.secret) {
      this.#alg = 'HS256';
      const key = new TextEncoder().encode(jwt.secret);
      this.#signKey = Promise.resolve(key);
      this.#verifyKey = Promise.resolve(key);
    } else {
      throw new Error('JWT configuration needs JWT_SECRET or a key pair');
    }
  }

  /** Issues a token for a user; `sub` is the customer id. */
  async sign(user: AuthUser): Promise<string> {
    return new SignJWT({ roles: user.roles })
      .setProtectedHeader({ alg: this.#alg })
      .setSubject(user.id)
      .setIssuer(this.#issuer)
      .setAudience(this.#audience)
      .setIssuedAt()
      .setExpirationTime(`${this.#ttlSeconds}s`)
      .sign(await this.#signKey);
  }

  /** Verifies a token and returns its user; throws UNAUTHENTICATED when it is invalid or expired. */
  async verify(token: string): Promise<AuthUser> {
    const cached = this.#verified.get(token);
    // jose rejects a token once the current second reaches `exp`; so does the cache.
    if (cached && Math.floor(Date.now() / 1000) * 1000 < cached.expiresAtMs)
      return { id: cached.user.id, roles: [...cached.user.roles] };
    if (cached) this.#verified.delete(token);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.#verifyKey, {
        issuer: this.#issuer,
        audience: this.#audience,
        algorithms: [this.#alg],
        // A token without an expiry would be valid forever once leaked.
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (err) {
      const expired = err instanceof joseErrors.JWTExpired;
      throw unauthenticated(
        expired ? 'Your session has expired: log in again' : 'Invalid access token',
      );
    }
    const roles = Array.isArray(payload.roles)
      ? payload.roles.filter((r): r is Role => r === Role.CUSTOMER || r === Role.AGENT)
      : [];
    if (!payload.sub) throw unauthenticated('Invalid access token');
    const expiresAtMs = payload.exp! * 1000;
    const ttl = expiresAtMs - Date.now();
    if (ttl > 0)
      this.#verified.set(token, { user: { id: payload.sub, roles }, expiresAtMs }, { ttl });
    return { id: payload.sub, roles: [...roles] };
  }

  /** Reads an `Authorization: Bearer …` header; null when absent. */
  async fromHeader(header: string | undefined): Promise<AuthUser | null> {
    if (!header) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    try {
      if (!match) throw unauthenticated('Authorization header must be "Bearer <token>"');
      return await this.verify(match[1]!);
    } catch (err) {
      // A bad credential rejects the whole HTTP request, so say so with the status code too.
      if (err instanceof GraphQLError) err.extensions.http = { status: 401 };
      throw err;
    }
  }
}

/** The logged-in user, or UNAUTHENTICATED. */
export function requireUser(user: AuthUser | null): AuthUser {
  if (!user) throw unauthenticated();
  return user;
}

/** True when the user is airline staff. */
export const isAgent = (user: AuthUser | null): boolean => !!user?.roles.includes(Role.AGENT);

/** The logged-in agent, or UNAUTHENTICATED / FORBIDDEN. */
export function requireAgent(user: AuthUser | null): AuthUser {
  const u = requireUser(user);
  if (!isAgent(u)) throw forbidden('Only airline staff (AGENT) may do this');
  return u;
}
