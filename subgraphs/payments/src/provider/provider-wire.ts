import { z } from 'zod';

// The provider's JSON is outside input: parse it instead of trusting a cast. Unknown extra
// fields are dropped so that provider additions never break us.

/** A charge as the provider returns it (201 approved, 402 declined, or a replay of either). */
export const chargeResponseSchema = z.object({
  id: z.string().min(1),
  status: z.enum(['succeeded', 'declined']),
  declineCode: z.string().optional(),
  card: z.object({ brand: z.string(), last4: z.string().regex(/^\d{4}$/) }),
});

/** The answer to a charge lookup by reference. */
export const chargeListResponseSchema = z.object({ data: z.array(chargeResponseSchema) });

/** A refund as the provider returns it. */
export const refundResponseSchema = z.object({
  id: z.string().min(1),
  chargeId: z.string().min(1),
  amount: z.number().int().positive(),
  status: z.literal('succeeded'),
});

/** The provider's error envelope; `type: card_error` means the card was refused. */
export const errorResponseSchema = z.object({
  error: z.object({
    type: z.string(),
    code: z.string(),
    message: z.string().default(''),
    param: z.string().optional(),
  }),
});
