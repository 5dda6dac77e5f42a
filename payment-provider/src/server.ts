import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { collectProcessMetrics, metricsRegistry } from '@airline/shared';
import { ErrorType, Processor, type Outcome } from './processor.ts';

/** Settings for {@link startPaymentProvider}. */
export interface PaymentProviderOptions {
  /** 0 picks a free port, which is what tests want. */
  port: number;
  host?: string;
  /** How long the "times out twice" card holds a request before answering 504; default 10 s. */
  slowResponseMs?: number;
  /** Clock for expiry checks; tests pin it. */
  now?: () => Date;
  logger?: Logger;
}

/** A running simulator. */
export interface PaymentProviderHandle {
  url: string;
  port: number;
  /** Stops listening and drops every open connection, stalled ones included. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

class BadBody extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES)
      throw new BadBody(413, 'body_too_large', 'The request body is too large');
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadBody(400, 'invalid_json', 'The request body is not valid JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown, replayed = false): void {
  if (res.writableEnded || res.destroyed) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
  });
  res.end(payload);
}

const errorBody = (type: string, code: string, message: string) => ({
  error: { type, code, message },
});

/** Starts the payment-provider simulator: a stand-in for the outside card processor's HTTP API. */
export async function startPaymentProvider(
  options: PaymentProviderOptions,
): Promise<PaymentProviderHandle> {
  const processor = new Processor({
    slowResponseMs: options.slowResponseMs ?? 10_000,
    ...(options.now ? { now: options.now } : {}),
  });
  const log = options.logger;
  const stalled = new Set<NodeJS.Timeout>();

  const deliver = (res: ServerResponse, outcome: Outcome): void => {
    if (outcome.kind === 'respond') {
      send(res, outcome.status, outcome.body, outcome.replayed);
      return;
    }
    // Holding the socket open is the point: the client must hit its own timeout first.
    const timer = setTimeout(() => {
      stalled.delete(timer);
      send(res, outcome.status, outcome.body);
    }, outcome.ms);
    stalled.add(timer);
    res.on('close', () => {
      clearTimeout(timer);
      stalled.delete(timer);
    });
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const key = req.headers['idempotency-key'];
    const idempotencyKey = Array.isArray(key) ? key[0] : key;

    if (path === '/health' && method === 'GET') return send(res, 200, { status: 'ok' });
    if (path === '/v1/stats' && method === 'GET') return send(res, 200, processor.stats());
    if (path === '/metrics' && method === 'GET') {
      // Scraped like every other process: its event loop and memory, under the same registry.
      collectProcessMetrics();
      const body = await metricsRegistry.metrics();
      res.writeHead(200, { 'content-type': metricsRegistry.contentType });
      res.end(body);
      return;
    }
    if (path === '/v1/charges' && method === 'POST') {
      const outcome = processor.createCharge(idempotencyKey, await readJson(req));
      log?.info({ status: outcome.status, kind: outcome.kind, idempotencyKey }, 'charge request');
      return deliver(res, outcome);
    }
    if (path === '/v1/charges' && method === 'GET')
      return deliver(res, processor.listCharges(url.searchParams.get('reference')));
    if (path === '/v1/refunds' && method === 'POST') {
      const outcome = processor.createRefund(idempotencyKey, await readJson(req));
      log?.info({ status: outcome.status, idempotencyKey }, 'refund request');
      return deliver(res, outcome);
    }
    const charge = /^\/v1\/charges\/([^/]+)$/.exec(path);
    if (charge && method === 'GET')
      return deliver(res, processor.getCharge(decodeURIComponent(charge[1]!)));

    const known =
      ['/health', '/metrics', '/v1/stats', '/v1/charges', '/v1/refunds'].includes(path) || charge;
    if (known)
      return send(
        res,
        405,
        errorBody(
          ErrorType.InvalidRequest,
          'method_not_allowed',
          `${method} is not allowed on ${path}`,
        ),
      );
    return send(
      res,
      404,
      errorBody(ErrorType.InvalidRequest, 'route_not_found', `No route ${method} ${path}`),
    );
  };

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (err instanceof BadBody) {
        send(res, err.status, errorBody(ErrorType.InvalidRequest, err.code, err.message));
        return;
      }
      log?.error({ err }, 'payment provider simulator failed');
      send(res, 500, errorBody(ErrorType.Api, 'internal_error', 'Internal simulator error'));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address, family } = server.address() as AddressInfo;
  const hostPart = family === 'IPv6' ? `[${address}]` : address;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${hostPart}:${port}`,
    port,
    // Idempotent, so a test's `finally` and a signal handler can both call it safely.
    close: () =>
      (closed ??= new Promise<void>((resolve, reject) => {
        for (const timer of stalled) clearTimeout(timer);
        stalled.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive and stalled sockets would otherwise keep close() waiting for minutes.
        server.closeAllConnections();
      })),
  };
}
