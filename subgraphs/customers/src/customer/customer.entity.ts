import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Role } from '@airline/shared';

/** A registered account; `email` is stored normalised (trimmed, lower-case). */
export const Customer = defineEntity({
  name: 'Customer',
  tableName: 'customer',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    email: p.string().length(254).unique(),
    passwordHash: p.string().length(200).hidden(),
    name: p.string().length(100),
    phone: p.string().length(20).nullable(),
    role: p.enum([Role.CUSTOMER, Role.AGENT]).default(Role.CUSTOMER),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** A loaded customer row. */
export type CustomerEntity = InferEntity<typeof Customer>;

/** A saved traveller belonging to one customer. */
export const PassengerProfile = defineEntity({
  name: 'PassengerProfile',
  tableName: 'passenger_profile',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    customerId: p.uuid().index(),
    givenName: p.string().length(100),
    familyName: p.string().length(100),
    dateOfBirth: p.date(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
/** A loaded saved-traveller row. */
export type PassengerProfileEntity = InferEntity<typeof PassengerProfile>;
