import { z } from 'zod';
import { isIsoDate } from '@airline/shared';

const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');
const uuid = z.uuid('must be a valid id');
const key = z
  .string()
  .trim()
  .min(8, 'must be at least 8 characters')
  .max(100, 'must be at most 100 characters');

/**
 * `createBooking` input: 1 to `maxSeatsPerBooking` passengers (the configured limit, named in the
 * refusal), each on a different seat.
 */
export function createBookingInputFor(maxSeatsPerBooking: number) {
  return z.object({
    flightId: uuid,
    passengers: z
      .array(
        z.object({
          givenName: name,
          familyName: name,
          dateOfBirth: z
            .string()
            .refine(isIsoDate, 'must be YYYY-MM-DD')
            .refine(
              (d) => d >= '1900-01-01' && d <= new Date().toISOString().slice(0, 10),
              'must be a date in the past',
            ),
          seat: z
            .string()
            .trim()
            .toUpperCase()
            .regex(/^[1-9]\d?[A-K]$/, 'must be a seat number such as 12A'),
        }),
      )
      .min(1, 'at least one passenger')
      .max(
        maxSeatsPerBooking,
        `at most ${maxSeatsPerBooking} passengers per booking (the seats-per-booking limit)`,
      )
      .refine(
        (ps) => new Set(ps.map((p) => p.seat)).size === ps.length,
        'each passenger needs a different seat',
      ),
    idempotencyKey: key.nullish(),
  });
}

/** `createBooking` input under the default limit of 9 passengers. */
export const createBookingInput = createBookingInputFor(9);
/** A validated `createBooking` request. */
export type CreateBookingRequest = z.output<ReturnType<typeof createBookingInputFor>>;

const thisYear = () => new Date().getUTCFullYear();

/** `payBooking` input; the card is checked for shape here and for validity by payments. */
export const payBookingInput = z.object({
  bookingId: uuid,
  idempotencyKey: key,
  card: z.object({
    number: z
      .string()
      .transform((s) => s.replace(/[\s-]/g, ''))
      .pipe(z.string().regex(/^\d{12,19}$/, 'must be 12 to 19 digits')),
    expMonth: z.number().int().min(1, 'must be 1 to 12').max(12, 'must be 1 to 12'),
    expYear: z
      .number()
      .int()
      .refine((y) => y >= thisYear() && y <= thisYear() + 20, 'must be this year or later'),
    cvc: z.string().regex(/^\d{3,4}$/, 'must be 3 or 4 digits'),
    holderName: name,
  }),
});

/** `cancelBooking` input. */
export const cancelBookingInput = z.object({
  id: uuid,
  reason: z.string().trim().max(500, 'must be at most 500 characters').nullish(),
});
