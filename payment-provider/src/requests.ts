import { z } from 'zod';

// Card-level checks (Luhn, expiry, CVC length) are not here: a processor reports those as card
// errors with their own codes, not as a malformed request.
const cardSchema = z.object({
  number: z.string(),
  expMonth: z.number().int().min(1).max(12),
  expYear: z.number().int().min(2000).max(2100),
  cvc: z.string(),
  holderName: z.string().trim().min(1).max(200),
});

/** Body of `POST /v1/charges`; `amount` is in minor units of `currency`. */
export const chargeRequestSchema = z.object({
  amount: z.number().int().positive().max(99_999_999),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code')
    .transform((c) => c.toUpperCase()),
  card: cardSchema,
  reference: z.string().trim().min(1).max(100),
});
/** A validated charge request. */
export type ChargeRequest = z.output<typeof chargeRequestSchema>;

/** Body of `POST /v1/refunds`; `amount` is in minor units of the charge's currency. */
export const refundRequestSchema = z.object({
  chargeId: z.string().min(1),
  amount: z.number().int().positive(),
});
/** A validated refund request. */
export type RefundRequest = z.output<typeof refundRequestSchema>;

/** The first problem of a failed parse, as a dotted parameter path and a message. */
export function firstIssue(error: z.ZodError): { param: string | undefined; message: string } {
  const issue = error.issues[0];
  if (!issue) return { param: undefined, message: 'invalid request' };
  const param = issue.path.map(String).join('.') || undefined;
  return { param, message: param ? `${param}: ${issue.message}` : issue.message };
}
