import { UniqueConstraintViolationException } from '@mikro-orm/core';
import {
  badInput,
  notFound,
  parseInput,
  Role,
  unauthenticated,
  type AuthUser,
  type EntityManager,
  type RateLimit,
  type TokenService,
} from '@airline/shared';
import {
  Customer,
  PassengerProfile,
  type CustomerEntity,
  type PassengerProfileEntity,
} from './customer.entity.ts';
import {
  addPassengerInput,
  loginInput,
  registerInput,
  updateProfileInput,
} from './customer.validation.ts';
import type { LoginThrottle } from './login-throttle.ts';
import type { PasswordHasher } from './password-hasher.ts';

/** A session handed to a client after register or login. */
export interface Session {
  token: string;
  expiresAt: Date;
  customer: CustomerEntity;
}

/** What `Accounts` works with. */
export interface AccountsDeps {
  tokens: TokenService;
  hasher: PasswordHasher;
  loginThrottle: LoginThrottle;
  /** Sign-ups per client address. */
  signUpLimit: RateLimit;
  /** Lifetime of a session token. */
  ttlSeconds: number;
}

/** Account operations of the customers domain: sign-up, login, profile and saved travellers. */
export class Accounts {
  readonly #tokens: TokenService;
  readonly #hasher: PasswordHasher;
  readonly #loginThrottle: LoginThrottle;
  readonly #signUpLimit: RateLimit;
  readonly #ttlSeconds: number;

  constructor(deps: AccountsDeps) {
    this.#tokens = deps.tokens;
    this.#hasher = deps.hasher;
    this.#loginThrottle = deps.loginThrottle;
    this.#signUpLimit = deps.signUpLimit;
    this.#ttlSeconds = deps.ttlSeconds;
  }

  async #session(customer: CustomerEntity): Promise<Session> {
    const user: AuthUser = { id: customer.id, roles: [customer.role] };
    const token = await this.#tokens.sign(user);
    return { token, expiresAt: new Date(Date.now() + this.#ttlSeconds * 1000), customer };
  }

  /**
   * Creates an account and logs it in; a taken e-mail is BAD_USER_INPUT. Limited per client
   * address, counted once the input is valid (a typo costs nothing, a hash does).
   */
  async register(em: EntityManager, raw: unknown, clientIp: string): Promise<Session> {
    const input = parseInput(registerInput, raw);
    await this.#signUpLimit.consume(clientIp);
    // Hashed before the database says whether the e-mail is taken, so a taken e-mail costs what a
    // new one does and timing does not tell which e-mails have accounts.
    const passwordHash = await this.#hasher.hash(input.password);
    const customer = em.create(Customer, {
      email: input.email,
      passwordHash,
      name: input.name,
      phone: input.phone ?? null,
      role: Role.CUSTOMER,
    });
    try {
      await em.flush();
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        throw badInput('email: an account with this e-mail already exists', 'email');
      }
      throw err;
    }
    return this.#session(customer);
  }

  /**
   * Checks credentials under the login throttle, which counts the attempt as a failure before the
   * password is checked; the error never tells which part was wrong. A hash weaker than the
   * configured cost is replaced while the password is at hand.
   */
  async login(em: EntityManager, raw: unknown, clientIp: string): Promise<Session> {
    const { email, password } = parseInput(loginInput, raw);
    const attempt = await this.#loginThrottle.begin(email, clientIp);
    let customer: CustomerEntity | null;
    let ok: boolean;
    try {
      customer = await em.findOne(Customer, { email });
      ok = customer
        ? await this.#hasher.verify(password, customer.passwordHash)
        : await this.#hasher.verifyUnknown(password);
    } catch (err) {
      await attempt.abandoned();
      throw err;
    }
    if (!customer || !ok) throw unauthenticated('Wrong e-mail or password');
    await attempt.succeeded();
    await this.#upgradeHash(em, customer, password);
    return this.#session(customer);
  }

  async #upgradeHash(em: EntityManager, customer: CustomerEntity, password: string) {
    if (!this.#hasher.needsUpgrade(customer.passwordHash)) return;
    // When hashing is busy the customer still gets in; the upgrade waits for their next login.
    const upgraded = await this.#hasher.hashUnlessBusy(password);
    if (!upgraded) return;
    customer.passwordHash = upgraded;
    await em.flush();
  }

  /** Changes name and/or phone (null phone removes it). */
  async updateProfile(
    em: EntityManager,
    customerId: string,
    raw: unknown,
  ): Promise<CustomerEntity> {
    const input = parseInput(updateProfileInput, raw);
    const customer = await em.findOne(Customer, { id: customerId });
    if (!customer) throw notFound('Customer', customerId);
    if (input.name != null) customer.name = input.name;
    if (input.phone !== undefined) customer.phone = input.phone;
    await em.flush();
    return customer;
  }

  /** Saves a traveller for later bookings. */
  async addPassenger(
    em: EntityManager,
    customerId: string,
    raw: unknown,
  ): Promise<PassengerProfileEntity> {
    const input = parseInput(addPassengerInput, raw);
    const passenger = em.create(PassengerProfile, { customerId, ...input });
    await em.flush();
    return passenger;
  }

  /** Removes one of the customer's own saved travellers; someone else's is NOT_FOUND. */
  async removePassenger(
    em: EntityManager,
    customerId: string,
    passengerId: string,
  ): Promise<CustomerEntity> {
    if (!isUuid(passengerId)) throw badInput('id: not a valid passenger id', 'id');
    const removed = await em.nativeDelete(PassengerProfile, { id: passengerId, customerId });
    if (removed === 0) throw notFound('Passenger', passengerId);
    const customer = await em.findOne(Customer, { id: customerId });
    if (!customer) throw notFound('Customer', customerId);
    return customer;
  }

  /**
   * Makes the configured airline-staff account exist with the configured password; run at start-up,
   * idempotent, so changing AGENT_PASSWORD and restarting rotates it.
   */
  async ensureAgent(em: EntityManager, email: string, password: string): Promise<CustomerEntity> {
    const normalised = email.trim().toLowerCase();
    const existing = await em.findOne(Customer, { email: normalised });
    if (existing) {
      existing.role = Role.AGENT;
      const current =
        (await this.#hasher.verify(password, existing.passwordHash)) &&
        !this.#hasher.needsUpgrade(existing.passwordHash);
      if (!current) existing.passwordHash = await this.#hasher.hash(password);
      await em.flush();
      return existing;
    }
    const agent = em.create(Customer, {
      email: normalised,
      passwordHash: await this.#hasher.hash(password),
      name: 'Airline Agent',
      phone: null,
      role: Role.AGENT,
    });
    try {
      await em.flush();
    } catch (err) {
      // Another replica seeded it at the same moment: fine.
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
    }
    return agent;
  }
}

/** True for a canonical UUID string (ids of this subgraph). */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
