import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Request } from 'express';
import type { Logger } from './logger.ts';

/** One dependency a process needs before it can serve traffic. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

/** A started HTTP server and how to stop it. */
export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  stop: () => Promise<void>;
}

const REQUEST_ID = 'x-request-id';

/** The request id given by the caller (the gateway forwards it) or a fresh one. */
export function requestIdOf(req: Request): string {
  const given = req.header(REQUEST_ID);
  return given && /^[\w-]{1,100}$/.test(given) ? given : randomUUID();
}

/**
 * An Express app with the endpoints every process has: `/health/live` (the process runs) and
 * `/health/ready` (its dependencies answer, so a load balancer may send it traffic).
 */
export function createHttpApp(checks: ReadinessCheck[], logger: Logger): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    const id = requestIdOf(req);
    req.headers[REQUEST_ID] = id;
    res.setHeader(REQUEST_ID, id);
    next();
  });
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    const results = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), 2000);
          return { name, ok: true as const };
        } catch (err) {
          // The reason goes to the log only: hostnames and driver errors are not for the public.
          logger.warn({ err, dependency: name }, 'readiness check failed');
          return { name, ok: false as const };
        }
      }),
    );
    const ready = results.every((r) => r.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', checks: results });
  });
  return app;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Listens on a port (0 picks a free one, as tests do) and returns how to reach and stop it. */
export async function listen(
  server: http.Server,
  port: number,
  host = '127.0.0.1',
  onStop: () => Promise<void> = async () => undefined,
): Promise<RunningServer> {
  // Longer than any caller keeps an idle connection before reusing it (load balancers use
  // 60 s): the server never closes a kept-alive socket just as a request is sent on it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  let stopping: Promise<void> | undefined;
  const stopServer = async () => {
    await onStop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    httpServer: server,
    // Once only: a harness that stops a server a second time (a failed restart, then the
    // suite's teardown) waits for the first stop instead of closing closed resources again.
    stop: () => (stopping ??= stopServer()),
  };
}
