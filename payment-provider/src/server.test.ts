import { randomUUID } from 'node:crypto';
import { startPaymentProvider, type PaymentProviderHandle } from './server.ts';
import type { ProcessorStats } from './processor.ts';

const SLOW_MS = 150;
const futureYear = new Date().getUTCFullYear() + 3;

const card = (number: string, overrides: Record<string, unknown> = {}) => ({
  number,
  expMonth: 12,
  expYear: futureYear,
  cvc: '123',
  holderName: 'Ada Lovelace',
  ...overrides,
});

const chargeBody = (number: string, reference = `ref-${randomUUID()}`, amount = 12_900) => ({
  amount,
  currency: 'EUR',
  card: card(number),
  reference,
});

interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

let provider: PaymentProviderHandle;

beforeAll(async () => {
  provider = await startPaymentProvider({ port: 0, slowResponseMs: SLOW_MS });
});

afterAll(async () => {
  await provider.close();
});

async function call(
  method: string,
  path: string,
  options: {
    body?: unknown;
    rawBody?: string;
    key?: string | null;
    signal?: AbortSignal;
    base?: string;
  } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.key !== null && method === 'POST')
    headers['idempotency-key'] = options.key ?? randomUUID();
  const response = await fetch(`${options.base ?? provider.url}${path}`, {
    method,
    headers,
    ...(options.rawBody !== undefined || options.body !== undefined
      ? { body: options.rawBody ?? JSON.stringify(options.body) }
      : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {}, headers: response.headers };
}

const stats = async (): Promise<ProcessorStats> =>
  (await call('GET', '/v1/stats')).body as unknown as ProcessorStats;

const errorCode = (reply: Reply): unknown =>
  (reply.body.error as { code?: unknown } | undefined)?.code;

describe('payment provider simulator', () => {
  it('reports healthy', async () => {
    const reply = await call('GET', '/health');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: 'ok' });
  });

  describe('the DESIGN card table', () => {
    it('approves 4242 4242 4242 4242 and keeps only brand and last four', async () => {
      const body = chargeBody('4242424242424242');
      const reply = await call('POST', '/v1/charges', { body });
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({
        status: 'succeeded',
        amount: 12_900,
        currency: 'EUR',
        reference: body.reference,
        card: { brand: 'visa', last4: '4242' },
      });
      expect(reply.body.id).toMatch(/^ch_/);
      expect(JSON.stringify(reply.body)).not.toContain('4242424242424242');

      const fetched = await call('GET', `/v1/charges/${String(reply.body.id)}`);
      expect(fetched.status).toBe(200);
      expect(fetched.body).toEqual(reply.body);
    });

    it.each([
      ['4000000000000002', 'card_declined'],
      ['4000000000009995', 'insufficient_funds'],
    ])('declines %s with %s and charges nothing', async (number, code) => {
      const body = chargeBody(number);
      const reply = await call('POST', '/v1/charges', { body });
      expect(reply.status).toBe(402);
      expect(reply.body).toMatchObject({ status: 'declined', declineCode: code });
      expect((await stats()).succeededByReference[body.reference]).toBeUndefined();
    });

    it('holds 4000 0000 0000 0119 past the timeout twice per idempotency key, then approves', async () => {
      const key = randomUUID();
      const body = chargeBody('4000000000000119');

      for (let i = 0; i < 2; i++) {
        const started = performance.now();
        const stalled = await call('POST', '/v1/charges', { body, key });
        expect(stalled.status).toBe(504);
        expect(errorCode(stalled)).toBe('processor_timeout');
        expect(performance.now() - started).toBeGreaterThanOrEqual(SLOW_MS - 10);
      }
      const approved = await call('POST', '/v1/charges', { body, key });
      expect(approved.status).toBe(201);
      expect(approved.body.status).toBe('succeeded');

      // A different key starts its own count: it is the key, not the card, that recovers.
      const otherKey = await call('POST', '/v1/charges', {
        body: { ...body, reference: `${body.reference}-b` },
      });
      expect(otherKey.status).toBe(504);

      const replay = await call('POST', '/v1/charges', { body, key });
      expect(replay.body.id).toBe(approved.body.id);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      const s = await stats();
      expect(s.succeededByReference[body.reference]).toBe(1);
      expect(s.requestsByReference[body.reference]).toBe(4);
    });

    it('answers 4000 0000 0000 0259 with 503 every time and stores nothing', async () => {
      const key = randomUUID();
      const body = chargeBody('4000000000000259');
      for (let i = 0; i < 3; i++) {
        const reply = await call('POST', '/v1/charges', { body, key });
        expect(reply.status).toBe(503);
        expect(errorCode(reply)).toBe('processor_unavailable');
      }
      const s = await stats();
      expect(s.requestsByReference[body.reference]).toBe(3);
      expect(s.succeededByReference[body.reference]).toBeUndefined();
    });

    it('approves any other valid card and names its brand', async () => {
      const reply = await call('POST', '/v1/charges', { body: chargeBody('5555555555554444') });
      expect(reply.status).toBe(201);
      expect(reply.body.card).toEqual({
        brand: 'mastercard',
        last4: '4444',
        expMonth: 12,
        expYear: futureYear,
      });
    });
  });

  describe('idempotency', () => {
    it('replays the stored charge for the same key and body without charging again', async () => {
      const key = randomUUID();
      const body = chargeBody('4242424242424242');
      const first = await call('POST', '/v1/charges', { body, key });
      const second = await call('POST', '/v1/charges', { body, key });
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect((await stats()).succeededByReference[body.reference]).toBe(1);
    });

    it('replays a decline as a decline', async () => {
      const key = randomUUID();
      const body = chargeBody('4000000000000002');
      const first = await call('POST', '/v1/charges', { body, key });
      const second = await call('POST', '/v1/charges', { body, key });
      expect(second.status).toBe(402);
      expect(second.body.id).toBe(first.body.id);
    });

    it('refuses the same key with a different body with 409 idempotency_conflict', async () => {
      const key = randomUUID();
      const body = chargeBody('4242424242424242');
      await call('POST', '/v1/charges', { body, key });
      const conflict = await call('POST', '/v1/charges', {
        body: { ...body, amount: body.amount + 1 },
        key,
      });
      expect(conflict.status).toBe(409);
      expect(errorCode(conflict)).toBe('idempotency_conflict');
      expect((await stats()).succeededByReference[body.reference]).toBe(1);
    });

    it('treats key order in the JSON body as the same request', async () => {
      const key = randomUUID();
      const body = chargeBody('4242424242424242');
      const first = await call('POST', '/v1/charges', { body, key });
      const reordered = {
        reference: body.reference,
        card: body.card,
        currency: body.currency,
        amount: body.amount,
      };
      const second = await call('POST', '/v1/charges', { body: reordered, key });
      expect(second.body.id).toBe(first.body.id);
    });

    it('requires an Idempotency-Key on every POST', async () => {
      const charge = await call('POST', '/v1/charges', {
        body: chargeBody('4242424242424242'),
        key: null,
      });
      expect(charge.status).toBe(400);
      expect(errorCode(charge)).toBe('idempotency_key_required');
      const refund = await call('POST', '/v1/refunds', {
        body: { chargeId: 'ch_x', amount: 1 },
        key: null,
      });
      expect(refund.status).toBe(400);
      expect(errorCode(refund)).toBe('idempotency_key_required');
    });
  });

  describe('validation', () => {
    it.each([
      [
        'a number failing the Luhn check',
        { card: card('4242424242424241') },
        'invalid_card_number',
      ],
      ['a number with letters', { card: card('4242abcd42424242') }, 'invalid_card_number'],
      [
        'an expired card',
        { card: card('4242424242424242', { expMonth: 1, expYear: futureYear - 5 }) },
        'expired_card',
      ],
      ['a two-digit CVC', { card: card('4242424242424242', { cvc: '12' }) }, 'invalid_cvc'],
      [
        'a three-digit CVC on amex',
        { card: card('378282246310005', { cvc: '123' }) },
        'invalid_cvc',
      ],
    ])('rejects %s as a card error', async (_name, patch, code) => {
      const reply = await call('POST', '/v1/charges', {
        body: { ...chargeBody('4242424242424242'), ...patch },
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toMatchObject({ type: 'card_error', code });
    });

    it.each([
      ['a fractional amount', { amount: 12.5 }, 'amount'],
      ['a negative amount', { amount: -100 }, 'amount'],
      ['an amount sent as a string', { amount: '129.00' }, 'amount'],
      ['a bad currency', { currency: 'EURO' }, 'currency'],
      ['a month 13', { card: card('4242424242424242', { expMonth: 13 }) }, 'card.expMonth'],
      ['a missing reference', { reference: undefined }, 'reference'],
    ])('rejects %s naming the parameter', async (_name, patch, param) => {
      const reply = await call('POST', '/v1/charges', {
        body: { ...chargeBody('4242424242424242'), ...patch },
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toMatchObject({
        type: 'invalid_request_error',
        code: 'parameter_invalid',
        param,
      });
    });

    it('rejects a body that is not JSON', async () => {
      const reply = await call('POST', '/v1/charges', { rawBody: '{"amount":' });
      expect(reply.status).toBe(400);
      expect(errorCode(reply)).toBe('invalid_json');
    });

    it('does not burn the key on a rejected request, so the corrected request can use it', async () => {
      const key = randomUUID();
      const body = chargeBody('4242424242424242');
      const bad = await call('POST', '/v1/charges', {
        body: { ...body, card: card('4242424242424241') },
        key,
      });
      expect(bad.status).toBe(400);
      const good = await call('POST', '/v1/charges', { body, key });
      expect(good.status).toBe(201);
    });

    it('answers 404 for unknown charges and routes, 405 for wrong methods', async () => {
      const missing = await call('GET', '/v1/charges/ch_nope');
      expect(missing.status).toBe(404);
      expect(errorCode(missing)).toBe('charge_not_found');
      expect((await call('GET', '/v2/anything')).status).toBe(404);
      expect((await call('DELETE', '/v1/charges')).status).toBe(405);
    });
  });

  describe('charge lookup by reference', () => {
    it('lists the charges of a reference, declined ones included, and nothing for an unknown one', async () => {
      const reference = `ref-${randomUUID()}`;
      const declined = await call('POST', '/v1/charges', {
        body: chargeBody('4000000000000002', reference),
      });
      const approved = await call('POST', '/v1/charges', {
        body: chargeBody('4242424242424242', reference),
      });
      const found = await call('GET', `/v1/charges?reference=${encodeURIComponent(reference)}`);
      expect(found.status).toBe(200);
      expect(found.body).toMatchObject({
        object: 'list',
        data: [
          { id: declined.body.id, status: 'declined', declineCode: 'card_declined', reference },
          { id: approved.body.id, status: 'succeeded', card: { brand: 'visa', last4: '4242' } },
        ],
      });
      const none = await call('GET', `/v1/charges?reference=ref-${randomUUID()}`);
      expect(none.body).toEqual({ object: 'list', data: [] });
    });

    it('does not list a charge that is still stalled, and asks for the reference', async () => {
      const reference = `ref-${randomUUID()}`;
      await expect(
        call('POST', '/v1/charges', {
          body: chargeBody('4000000000000119', reference),
          signal: AbortSignal.timeout(50),
        }),
      ).rejects.toThrow();
      expect((await call('GET', `/v1/charges?reference=${reference}`)).body.data).toEqual([]);
      const missing = await call('GET', '/v1/charges');
      expect(missing.status).toBe(400);
      expect(errorCode(missing)).toBe('parameter_missing');
    });
  });

  describe('refunds', () => {
    async function approvedCharge(amount = 10_000): Promise<string> {
      const reply = await call('POST', '/v1/charges', {
        body: chargeBody('4242424242424242', undefined, amount),
      });
      expect(reply.status).toBe(201);
      return String(reply.body.id);
    }

    it('refunds part of a charge, then the rest, and no more', async () => {
      const chargeId = await approvedCharge(10_000);
      const partial = await call('POST', '/v1/refunds', { body: { chargeId, amount: 4_000 } });
      expect(partial.status).toBe(201);
      expect(partial.body).toMatchObject({
        chargeId,
        amount: 4_000,
        currency: 'EUR',
        status: 'succeeded',
      });
      expect(partial.body.id).toMatch(/^re_/);

      const tooMuch = await call('POST', '/v1/refunds', { body: { chargeId, amount: 6_001 } });
      expect(tooMuch.status).toBe(400);
      expect(errorCode(tooMuch)).toBe('refund_exceeds_charge');

      const rest = await call('POST', '/v1/refunds', { body: { chargeId, amount: 6_000 } });
      expect(rest.status).toBe(201);
      const charge = await call('GET', `/v1/charges/${chargeId}`);
      expect(charge.body.amountRefunded).toBe(10_000);
    });

    it('refuses a refund larger than the charge', async () => {
      const chargeId = await approvedCharge(5_000);
      const reply = await call('POST', '/v1/refunds', { body: { chargeId, amount: 5_001 } });
      expect(reply.status).toBe(400);
      expect(errorCode(reply)).toBe('refund_exceeds_charge');
    });

    it('refunds once per idempotency key', async () => {
      const chargeId = await approvedCharge(10_000);
      const key = randomUUID();
      const first = await call('POST', '/v1/refunds', { body: { chargeId, amount: 3_000 }, key });
      const second = await call('POST', '/v1/refunds', { body: { chargeId, amount: 3_000 }, key });
      expect(second.body.id).toBe(first.body.id);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect((await call('GET', `/v1/charges/${chargeId}`)).body.amountRefunded).toBe(3_000);
      const conflict = await call('POST', '/v1/refunds', {
        body: { chargeId, amount: 2_000 },
        key,
      });
      expect(conflict.status).toBe(409);
    });

    it('refuses to refund a declined or unknown charge', async () => {
      const declined = await call('POST', '/v1/charges', { body: chargeBody('4000000000000002') });
      const onDeclined = await call('POST', '/v1/refunds', {
        body: { chargeId: declined.body.id, amount: 1 },
      });
      expect(onDeclined.status).toBe(400);
      expect(errorCode(onDeclined)).toBe('charge_not_refundable');
      const onMissing = await call('POST', '/v1/refunds', {
        body: { chargeId: 'ch_missing', amount: 1 },
      });
      expect(onMissing.status).toBe(404);
      expect(errorCode(onMissing)).toBe('charge_not_found');
    });
  });

  describe('stalled requests', () => {
    it('counts a request the client gave up on, and close() drops stalled connections at once', async () => {
      const slow = await startPaymentProvider({ port: 0, slowResponseMs: 60_000 });
      try {
        const key = randomUUID();
        const body = chargeBody('4000000000000119');
        for (let i = 0; i < 2; i++) {
          await expect(
            call('POST', '/v1/charges', {
              body,
              key,
              base: slow.url,
              signal: AbortSignal.timeout(100),
            }),
          ).rejects.toThrow();
        }
        const third = await call('POST', '/v1/charges', { body, key, base: slow.url });
        expect(third.status).toBe(201);

        const pending = call('POST', '/v1/charges', {
          body: chargeBody('4000000000000119'),
          base: slow.url,
        });
        pending.catch(() => undefined);
        // Give the request time to reach the server before closing under it.
        await new Promise((resolve) => setTimeout(resolve, 50));
        await slow.close();
        // Had close waited for the stalled request, it would have answered 504; it was cut instead.
        await expect(pending).rejects.toThrow();
      } finally {
        await slow.close();
      }
    });
  });
});
