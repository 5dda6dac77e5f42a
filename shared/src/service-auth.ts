import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import type { AuthUser, Role } from './auth.ts';
import type { ServiceName } from './config.ts';
import { unauthenticated } from './errors.ts';

/** Who may hold a service credential: the gateway and every subgraph. */
export type ServiceIdentity = ServiceName | 'gateway';

/** A verified service-to-service caller, and the end user it acts for (null: the service itself). */
export interface ServiceCaller {
  service: ServiceIdentity;
  user: AuthUser | null;
}

/**
 * Header with which the gateway proves itself to a subgraph on every request; the end user's own
 * token still travels in `Authorization` and is verified by the subgraph.
 */
export const GATEWAY_TOKEN_HEADER = 'x-gateway-token';

// Marks the token as a service credential: an end-user token is never accepted in its place.
const TOKEN_TYPE = 'service+jwt';
const TTL_SECONDS = 120;
const VERIFIED_CACHE_SIZE = 1000;

/**
 * Service credentials: short-lived HS256 JWTs signed with SERVICE_SECRET, a key only services
 * hold (never the customers' JWT key). `iss` is the caller, `aud` the callee, and `usr` the end
 * user the call is made for, so the callee authorises that user without trusting a request body.
 */
export class ServiceTokens {
  readonly #key: Uint8Array;
  readonly #self: ServiceIdentity;
  readonly #issued = new Map<string, { token: string; renewAt: number }>();
  readonly #verified = new Map<string, { caller: ServiceCaller; exp: number }>();

  constructor(secret: string, self: ServiceIdentity) {
    this.#key = new TextEncoder().encode(secret);
    this.#self = self;
  }

  /** A credential for calling `audience`, on behalf of `user` when given. */
  async sign(audience: ServiceIdentity, user: AuthUser | null = null): Promise<string> {
    return new SignJWT(user ? { usr: { id: user.id, roles: user.roles } } : {})
      .setProtectedHeader({ alg: 'HS256', typ: TOKEN_TYPE })
      .setIssuer(this.#self)
      .setSubject(this.#self)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${TTL_SECONDS}s`)
      .sign(this.#key);
  }

  /** This process's own credential for `audience` (no end user), re-signed at half its lifetime. */
  async forAudience(audience: ServiceIdentity): Promise<string> {
    const cached = this.#issued.get(audience);
    if (cached && cached.renewAt > Date.now()) return cached.token;
    const token = await this.sign(audience);
    this.#issued.set(audience, { token, renewAt: Date.now() + (TTL_SECONDS * 1000) / 2 });
    return token;
  }

  /**
   * Verifies a credential addressed to this process from one of `callers`; UNAUTHENTICATED
   * otherwise (an end-user token, another audience, an expired or forged one).
   */
  async verify(token: string, callers: readonly ServiceIdentity[]): Promise<ServiceCaller> {
    const hit = this.#verified.get(token);
    if (hit && hit.exp * 1000 > Date.now()) return this.#allowed(hit.caller, callers);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.#key, {
        algorithms: ['HS256'],
        typ: TOKEN_TYPE,
        audience: this.#self,
        requiredClaims: ['iss', 'exp', 'iat'],
      }));
    } catch {
      throw unauthenticated('A valid service credential is required');
    }
    const caller: ServiceCaller = {
      service: payload.iss as ServiceIdentity,
      user: userClaim(payload.usr),
    };
    if (this.#verified.size >= VERIFIED_CACHE_SIZE) this.#verified.clear();
    this.#verified.set(token, { caller, exp: payload.exp! });
    return this.#allowed(caller, callers);
  }

  /** Reads `Bearer <credential>` and verifies it (see `verify`). */
  async fromHeader(
    header: string | undefined,
    callers: readonly ServiceIdentity[],
  ): Promise<ServiceCaller> {
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
    if (!match) throw unauthenticated('A service credential is required: Bearer <token>');
    return this.verify(match[1]!, callers);
  }

  #allowed(caller: ServiceCaller, callers: readonly ServiceIdentity[]): ServiceCaller {
    if (!callers.includes(caller.service))
      throw unauthenticated(`${caller.service} may not call ${this.#self} here`);
    return caller;
  }
}

function userClaim(value: unknown): AuthUser | null {
  if (!value || typeof value !== 'object') return null;
  const { id, roles } = value as { id?: unknown; roles?: unknown };
  if (typeof id !== 'string' || !Array.isArray(roles)) return null;
  return {
    id,
    roles: roles.filter((r): r is Role => r === 'CUSTOMER' || r === 'AGENT'),
  };
}
