import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import {
  DependencyRejectedError,
  DependencyUnavailableError,
  dependencyPolicy,
} from '../internal-http.ts';
import { ServiceTokens } from '../service-auth.ts';
import {
  internalClient,
  internalContract,
  internalRoute,
  readRequest,
} from './internal-contract.ts';
import { paymentRequests } from './payment-requests.ts';
import { seatQuotes } from './seat-quotes.ts';

const echo = internalContract({
  path: '/internal/echo',
  callee: 'flights',
  callers: ['bookings'],
  request: z.object({ answer: z.unknown(), status: z.number().int() }),
  response: z.object({ paymentId: z.string(), status: z.enum(['PENDING', 'FAILED']) }),
});

// A callee that answers what the request tells it to, with the status it asks for.
let server: Server;
let baseUrl: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const { answer, status } = JSON.parse(body) as { answer: unknown; status: number };
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = () =>
  internalClient(echo, {
    baseUrl,
    serviceTokens: new ServiceTokens('a-test-service-secret-of-32-chars!!', 'bookings'),
    policy: dependencyPolicy({ timeoutMs: 2_000, failuresToOpen: 100, halfOpenAfterMs: 1_000 }),
  });

describe('the caller checks the answer against the contract', () => {
  test('an answer that fits is returned as the contract types it', async () => {
    const answer = { paymentId: 'p-1', status: 'PENDING' };
    await expect(client()({ answer, status: 202 }, null)).resolves.toEqual(answer);
  });

  test('an answer that does not fit is the callee failing: DependencyUnavailableError naming the field', async () => {
    const error = await client()(
      { answer: { paymentId: 'p-1', status: 'LOST' }, status: 200 },
      null,
    ).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as Error).message).toMatch(
      /^\/internal\/echo: the answer does not match the contract \(status: /,
    );
  });

  test('a 4xx answer stays the callee’s refusal', async () => {
    const call = client()(
      { answer: { error: { code: 'NOT_FOUND', message: 'no such flight' } }, status: 404 },
      null,
    );
    await expect(call).rejects.toThrow(DependencyRejectedError);
  });
});

describe('the callee reads the request with the same contract', () => {
  test('a valid request is returned validated', () => {
    expect(readRequest(seatQuotes, { flightId: 'f-1', seats: ['12A'] })).toEqual({
      ok: true,
      request: { flightId: 'f-1', seats: ['12A'] },
    });
    expect(internalRoute(seatQuotes)).toBe('/seat-quotes');
    expect(internalRoute(paymentRequests)).toBe('/payments');
  });

  test('the first problem is named by its field, without echoing a card number', () => {
    expect(readRequest(seatQuotes, { flightId: 'f-1', seats: [] })).toEqual({
      ok: false,
      message: expect.stringMatching(/^seats: /),
    });
    const refused = readRequest(paymentRequests, {
      bookingId: 'b-1',
      customerId: 'c-1',
      amount: { amountMinor: 100, currency: 'USD' },
      card: { number: 4242424242424242, expMonth: 12, expYear: 2099, cvc: '123', holderName: 'A' },
      idempotencyKey: 'k-1',
    });
    expect(refused).toEqual({ ok: false, message: expect.stringMatching(/^card\.number: /) });
    expect(JSON.stringify(refused)).not.toMatch(/4242/);
  });
});
