import { z } from 'zod';

/** E-mail as stored: trimmed and lower-cased so one person cannot register twice by casing. */
export const email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .toLowerCase()
  .pipe(z.email('must be a valid e-mail address'));

const password = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(128, 'must be at most 128 characters')
  .refine(
    (s) => /[A-Za-z]/.test(s) && /\d/.test(s),
    'must contain at least one letter and one digit',
  );

const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');
const phone = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be in international E.164 form, e.g. +447700900123');

/** `register` input. */
export const registerInput = z.object({
  email,
  password,
  name,
  phone: phone.nullish(),
});

/** `updateProfile` input: at least one field. */
export const updateProfileInput = z
  .object({ name: name.nullish(), phone: phone.nullish() })
  .refine((v) => v.name != null || v.phone !== undefined, 'give at least one of name or phone');

/** `addPassenger` input; a traveller is born in the past and not before 1900. */
export const addPassengerInput = z.object({
  givenName: name,
  familyName: name,
  dateOfBirth: z
    .string()
    .refine(
      (d) => d >= '1900-01-01' && d <= new Date().toISOString().slice(0, 10),
      'must be a date in the past',
    ),
});

/** `login` input: only shape checks, never a hint about which part was wrong. */
export const loginInput = z.object({
  email: z.string().trim().toLowerCase().max(254, 'must be at most 254 characters'),
  password: z.string().max(128, 'must be at most 128 characters'),
});
