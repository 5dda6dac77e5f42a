import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import {
  startPaymentProvider,
  type PaymentProviderHandle,
} from '../../../../payment-provider/src/server.ts';
import type { ProcessorStats } from '../../../../payment-provider/src/processor.ts';
import { AttemptOutcome } from './attempts.ts';
import {
  PaymentProviderClient,
  type CardDetails,
  type ChargeRequest,
  type PaymentProviderClientOptions,
} from './provider-client.ts';
import {
  ProviderRequestError,
  ProviderUnavailableError,
  UnavailableReason,
} from './provider-errors.ts';

// The client gives up on an attempt after TIMEOUT_MS; the simulator holds the slow card far
// longer, so a passing test proves the client's own timeout fired (the test never waits for it).
const TIMEOUT_MS = 200;
const SLOW_MS = 1_000;
const HALF_OPEN_AFTER_MS = 250;

const Cards = {
  approved: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  slowTwice: '4000000000000119',
  unavailable: '4000000000000259',
} as const;

let provider: PaymentProviderHandle;

beforeAll(async () => {
  provider = await startPaymentProvider({ port: 0, slowResponseMs: SLOW_MS });
});

afterAll(async () => {
  await provider.close();
});

function client(overrides: Partial<PaymentProviderClientOptions> = {}): PaymentProviderClient {
  return new PaymentProviderClient({
    baseUrl: provider.url,
    logger: pino({ level: 'silent' }),
    timeoutMs: TIMEOUT_MS,
    maxAttempts: 4,
    backoff: { initialDelayMs: 10, maxDelayMs: 40 },
    breaker: { threshold: 5, halfOpenAfterMs: HALF_OPEN_AFTER_MS },
    ...overrides,
  });
}

const card = (number: string): CardDetails => ({
  number,
  expMonth: 12,
  expYear: new Date().getUTCFullYear() + 3,
  cvc: '123',
  holderName: 'Grace Hopper',
});

const chargeRequest = (number: string, overrides: Partial<ChargeRequest> = {}): ChargeRequest => ({
  amount: 12_900,
  currency: 'EUR',
  card: card(number),
  reference: `PAY-${randomUUID()}`,
  idempotencyKey: randomUUID(),
  ...overrides,
});

async function stats(): Promise<ProcessorStats> {
  const response = await fetch(`${provider.url}/v1/stats`);
  return (await response.json()) as ProcessorStats;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (err: unknown) => err,
  );
}

async function unavailable(promise: Promise<unknown>): Promise<ProviderUnavailableError> {
  const err = await rejection(promise);
  expect(err).toBeInstanceOf(ProviderUnavailableError);
  return err as ProviderUnavailableError;
}

describe('PaymentProviderClient against the simulator', () => {
  it('approves 4242 in one attempt and returns only brand and last four', async () => {
    const request = chargeRequest(Cards.approved);
    const result = await client().charge(request);

    expect(result).toMatchObject({ kind: 'approved', brand: 'visa', last4: '4242' });
    if (result.kind !== 'approved') throw new Error('unreachable');
    expect(result.chargeId).toMatch(/^ch_/);
    expect(result.attempts).toEqual([
      expect.objectContaining({ attempt: 1, outcome: AttemptOutcome.Approved, statusCode: 201 }),
    ]);
    expect(result.attempts[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(result.attempts[0]!.startedAt)).not.toBeNaN();
    expect((await stats()).succeededByReference[request.reference]).toBe(1);
  });

  it.each([
    [Cards.declined, 'card_declined'],
    [Cards.insufficientFunds, 'insufficient_funds'],
  ])('declines %s with %s and never retries a decline', async (number, code) => {
    const request = chargeRequest(number);
    const result = await client().charge(request);

    expect(result).toMatchObject({ kind: 'declined', code });
    expect(result.attempts).toEqual([
      expect.objectContaining({
        attempt: 1,
        outcome: AttemptOutcome.Declined,
        statusCode: 402,
        error: code,
      }),
    ]);
    const s = await stats();
    expect(s.requestsByReference[request.reference]).toBe(1);
    expect(s.succeededByReference[request.reference]).toBeUndefined();
  });

  it('recovers 0119 by retrying with the same idempotency key after two timeouts', async () => {
    const request = chargeRequest(Cards.slowTwice);
    const payments = client();
    const result = await payments.charge(request);

    expect(result.kind).toBe('approved');
    expect(result.attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, AttemptOutcome.Timeout],
      [2, AttemptOutcome.Timeout],
      [3, AttemptOutcome.Approved],
    ]);
    for (const timedOut of result.attempts.slice(0, 2)) {
      expect(timedOut.error).toMatch(/no answer within 200 ms/);
    }
    // The simulator only recovers a key it has seen twice: three requests, one charge.
    const s = await stats();
    expect(s.requestsByReference[request.reference]).toBe(3);
    expect(s.succeededByReference[request.reference]).toBe(1);
    expect(payments.circuitState).toBe('closed');
  });

  it('lets a later call with the same key finish a charge whose retries ran out', async () => {
    const request = chargeRequest(Cards.slowTwice);
    const gaveUp = await unavailable(client({ maxAttempts: 2 }).charge(request));
    expect(gaveUp.reason).toBe(UnavailableReason.RetriesExhausted);
    expect(gaveUp.attempts.map((a) => a.outcome)).toEqual([
      AttemptOutcome.Timeout,
      AttemptOutcome.Timeout,
    ]);

    const later = await client().charge(request);
    expect(later.kind).toBe('approved');
    expect(later.attempts).toHaveLength(1);
    expect((await stats()).succeededByReference[request.reference]).toBe(1);
  });

  it('charges once when the same idempotency key is used twice', async () => {
    const request = chargeRequest(Cards.approved);
    const payments = client();
    const first = await payments.charge(request);
    const second = await payments.charge(request);

    expect(first.kind).toBe('approved');
    expect(second).toMatchObject({ kind: 'approved' });
    if (first.kind !== 'approved' || second.kind !== 'approved') throw new Error('unreachable');
    expect(second.chargeId).toBe(first.chargeId);
    const s = await stats();
    expect(s.requestsByReference[request.reference]).toBe(2);
    expect(s.succeededByReference[request.reference]).toBe(1);
  });

  it('reports the same key with a different amount as an idempotency conflict, without retrying', async () => {
    const request = chargeRequest(Cards.approved);
    const payments = client();
    await payments.charge(request);
    const err = await rejection(payments.charge({ ...request, amount: request.amount + 100 }));

    expect(err).toBeInstanceOf(ProviderRequestError);
    const requestError = err as ProviderRequestError;
    expect(requestError).toMatchObject({ status: 409, code: 'idempotency_conflict' });
    expect(requestError.attempts).toEqual([
      expect.objectContaining({ attempt: 1, outcome: AttemptOutcome.Rejected, statusCode: 409 }),
    ]);
    expect((await stats()).succeededByReference[request.reference]).toBe(1);
  });

  it('turns card errors into declines with the provider code, in one attempt', async () => {
    const bad = await client().charge(chargeRequest('4242424242424241'));
    expect(bad).toMatchObject({ kind: 'declined', code: 'invalid_card_number' });
    expect(bad.attempts).toHaveLength(1);

    const expired = await client().charge(
      chargeRequest(Cards.approved, { card: { ...card(Cards.approved), expYear: 2001 } }),
    );
    expect(expired).toMatchObject({ kind: 'declined', code: 'expired_card' });
  });

  it('sends the card number without the spaces people type', async () => {
    const result = await client().charge(chargeRequest('4242 4242 4242 4242'));
    expect(result).toMatchObject({ kind: 'approved', last4: '4242' });
  });

  it('gives up on 0259 after maxAttempts 5xx answers, then the breaker opens and fails fast', async () => {
    const payments = client();
    const request = chargeRequest(Cards.unavailable);

    const exhausted = await unavailable(payments.charge(request));
    expect(exhausted.reason).toBe(UnavailableReason.RetriesExhausted);
    expect(exhausted.attempts.map((a) => [a.attempt, a.outcome, a.statusCode])).toEqual([
      [1, AttemptOutcome.ServerError, 503],
      [2, AttemptOutcome.ServerError, 503],
      [3, AttemptOutcome.ServerError, 503],
      [4, AttemptOutcome.ServerError, 503],
    ]);
    expect(exhausted.attempts[0]!.error).toBe('503 processor_unavailable');
    expect(payments.circuitState).toBe('closed');

    // The fifth consecutive failure opens the breaker; the retry after it is refused locally.
    const opening = await unavailable(payments.charge(request));
    expect(opening.reason).toBe(UnavailableReason.CircuitOpen);
    expect(opening.attempts).toHaveLength(1);
    expect(payments.circuitState).toBe('open');
    const requestsSoFar = (await stats()).requestsByReference[request.reference];
    expect(requestsSoFar).toBe(5);

    // While open, nothing reaches the provider, not even a good card.
    const fastFail = await unavailable(payments.charge(request));
    const goodCard = chargeRequest(Cards.approved);
    const fastFailGood = await unavailable(payments.charge(goodCard));
    for (const err of [fastFail, fastFailGood]) {
      expect(err.reason).toBe(UnavailableReason.CircuitOpen);
      expect(err.attempts).toEqual([]);
    }
    const s = await stats();
    expect(s.requestsByReference[request.reference]).toBe(requestsSoFar);
    expect(s.requestsByReference[goodCard.reference]).toBeUndefined();

    // After the break a single test request goes through; its success closes the breaker.
    await new Promise((resolve) => setTimeout(resolve, HALF_OPEN_AFTER_MS + 20));
    const recovered = await payments.charge(goodCard);
    expect(recovered.kind).toBe('approved');
    expect(payments.circuitState).toBe('closed');
  });

  it('says it is failing fast only while the open breaker would refuse a call', async () => {
    const payments = client({ breaker: { threshold: 1, halfOpenAfterMs: HALF_OPEN_AFTER_MS } });
    expect(payments.failingFast).toBe(false);
    await unavailable(payments.charge(chargeRequest(Cards.unavailable)));
    expect(payments.failingFast).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, HALF_OPEN_AFTER_MS + 20));
    // Still reported `open` by cockatiel, but the next call would be the trial request.
    expect(payments.circuitState).toBe('open');
    expect(payments.failingFast).toBe(false);
    expect((await payments.charge(chargeRequest(Cards.approved))).kind).toBe('approved');
    expect(payments.failingFast).toBe(false);
  });

  it('stops a call its caller aborts and says it was cancelled, not that the provider failed', async () => {
    const payments = client({ timeoutMs: 5_000 });
    const controller = new AbortController();
    const call = payments.charge(chargeRequest(Cards.slowTwice), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const err = await unavailable(call);
    expect(err.reason).toBe(UnavailableReason.Cancelled);
    // One attempt, abandoned: the slow card's request is never retried after the abort.
    expect(err.attempts).toHaveLength(1);
  });

  describe('charge lookup', () => {
    it('finds the approved and declined charges of a reference, and none of an unknown one', async () => {
      const payments = client();
      const reference = `PAY-${randomUUID()}`;
      await payments.charge(chargeRequest(Cards.declined, { reference }));
      const approved = await payments.charge(chargeRequest(Cards.approved, { reference }));
      if (approved.kind !== 'approved') throw new Error('unreachable');

      const found = await payments.findCharges(reference);
      expect(found.charges).toEqual([
        expect.objectContaining({ status: 'declined', declineCode: 'card_declined' }),
        { chargeId: approved.chargeId, status: 'succeeded', brand: 'visa', last4: '4242' },
      ]);
      expect(found.attempts).toEqual([
        expect.objectContaining({ attempt: 1, outcome: AttemptOutcome.Retrieved, statusCode: 200 }),
      ]);
      expect((await payments.findCharges(`PAY-${randomUUID()}`)).charges).toEqual([]);
    });

    it('is refused while the breaker is open, like any other call', async () => {
      const payments = client({ breaker: { threshold: 1, halfOpenAfterMs: 60_000 } });
      await unavailable(payments.charge(chargeRequest(Cards.unavailable)));
      const err = await unavailable(payments.findCharges('PAY-anything'));
      expect(err.reason).toBe(UnavailableReason.CircuitOpen);
    });
  });

  it('does not count declines or rejected requests as provider failures', async () => {
    const payments = client({ breaker: { threshold: 2, halfOpenAfterMs: 60_000 } });
    for (const number of [
      Cards.declined,
      Cards.insufficientFunds,
      Cards.declined,
      '4242424242424241',
    ]) {
      expect((await payments.charge(chargeRequest(number))).kind).toBe('declined');
    }
    const refund = payments.refund({
      chargeId: 'ch_missing',
      amount: 1,
      idempotencyKey: randomUUID(),
    });
    await expect(refund).rejects.toBeInstanceOf(ProviderRequestError);
    expect(payments.circuitState).toBe('closed');
    expect((await payments.charge(chargeRequest(Cards.approved))).kind).toBe('approved');
  });

  it('retries network errors and reports them when the provider is down', async () => {
    const gone = await startPaymentProvider({ port: 0 });
    await gone.close();
    const payments = client({ baseUrl: gone.url, maxAttempts: 3 });

    const err = await unavailable(payments.charge(chargeRequest(Cards.approved)));
    expect(err.reason).toBe(UnavailableReason.RetriesExhausted);
    expect(err.attempts.map((a) => a.outcome)).toEqual([
      AttemptOutcome.NetworkError,
      AttemptOutcome.NetworkError,
      AttemptOutcome.NetworkError,
    ]);
    expect(err.attempts[0]!.error).toMatch(/ECONNREFUSED/);
  });

  describe('refunds', () => {
    async function approvedChargeId(
      payments: PaymentProviderClient,
      amount: number,
    ): Promise<string> {
      const result = await payments.charge(chargeRequest(Cards.approved, { amount }));
      if (result.kind !== 'approved') throw new Error(`charge was ${result.kind}`);
      return result.chargeId;
    }

    it('refunds part of a charge once per key and refuses more than is left', async () => {
      const payments = client();
      const chargeId = await approvedChargeId(payments, 10_000);
      const idempotencyKey = randomUUID();

      const refund = await payments.refund({ chargeId, amount: 4_000, idempotencyKey });
      expect(refund).toMatchObject({ kind: 'refunded', chargeId, amount: 4_000 });
      expect(refund.refundId).toMatch(/^re_/);
      expect(refund.attempts).toEqual([
        expect.objectContaining({ attempt: 1, outcome: AttemptOutcome.Refunded, statusCode: 201 }),
      ]);

      const again = await payments.refund({ chargeId, amount: 4_000, idempotencyKey });
      expect(again.refundId).toBe(refund.refundId);

      const err = await rejection(
        payments.refund({ chargeId, amount: 6_001, idempotencyKey: randomUUID() }),
      );
      expect(err).toBeInstanceOf(ProviderRequestError);
      expect(err).toMatchObject({ status: 400, code: 'refund_exceeds_charge', param: 'amount' });
      expect((err as ProviderRequestError).attempts).toHaveLength(1);

      const charge = (await (await fetch(`${provider.url}/v1/charges/${chargeId}`)).json()) as {
        amountRefunded: number;
      };
      expect(charge.amountRefunded).toBe(4_000);
    });

    it('shares the breaker with charges: an open circuit fails refunds fast too', async () => {
      const payments = client({
        maxAttempts: 2,
        breaker: { threshold: 2, halfOpenAfterMs: 60_000 },
      });
      const chargeId = await approvedChargeId(payments, 5_000);
      await unavailable(payments.charge(chargeRequest(Cards.unavailable)));
      expect(payments.circuitState).toBe('open');

      const err = await unavailable(
        payments.refund({ chargeId, amount: 1_000, idempotencyKey: randomUUID() }),
      );
      expect(err.reason).toBe(UnavailableReason.CircuitOpen);
      expect(err.attempts).toEqual([]);
    });
  });
});
