import { UniqueConstraintViolationException } from '@mikro-orm/core';
import {
  badInput,
  notFound,
  parseInput,
  Role,
  unauthenticated,
  type AuthUser,
  type EntityManager,
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
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './password.ts';
import type { LoginThrottle } from './login-throttle.ts';

/** A session handed to a client after register or login. */
export interface Session {
  token: string;
  expiresAt: Date;
  customer: CustomerEntity;
}

/** Account operations of the customers domain: sign-up, login, profile and saved travellers. */
export class Accounts {
  readonly #tokens: TokenService;
  readonly #throttle: LoginThrottle;
  readonly #ttlSeconds: number;

  constructor(tokens: TokenService, throttle: LoginThrottle, ttlSeconds: number) {
    this.#tokens = tokens;
    this.#throttle = throttle;
    this.#ttlSeconds = ttlSeconds;
  }

  async #session(customer: CustomerEntity): Promise<Session> {
    const user: AuthUser = { id: customer.id, roles: [customer.role] };
    const token = await this.#tokens.sign(user);
    return { token, expiresAt: new Date(Date.now() + this.#ttlSeconds * 1000), customer };
  }

  /** Creates an account and logs it in; a taken e-mail is BAD_USER_INPUT. */
  async register(em: EntityManager, raw: unknown): Promise<Session> {
    const input = parseInput(registerInput, raw);
    const customer = em.create(Customer, {
      email: input.email,
      passwordHash: await hashPassword(input.password),
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

  /** Checks credentials under the login throttle; the error never tells which part was wrong. */
  async login(em: EntityManager, raw: unknown, clientIp: string): Promise<Session> {
    const { email, password } = parseInput(loginInput, raw);
    await this.#throttle.beforeAttempt(clientIp, email);
    const customer = await em.findOne(Customer, { email });
    const ok = await verifyPassword(password, customer?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    if (!customer || !ok) {
      await this.#throttle.failed(email);
      throw unauthenticated('Wrong e-mail or password');
    }
    await this.#throttle.succeeded(email);
    return this.#session(customer);
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
      if (!(await verifyPassword(password, existing.passwordHash)))
        existing.passwordHash = await hashPassword(password);
      await em.flush();
      return existing;
    }
    const agent = em.create(Customer, {
      email: normalised,
      passwordHash: await hashPassword(password),
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
