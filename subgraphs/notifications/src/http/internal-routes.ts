import type { Express } from 'express';
import {
  mountInternalRoutes,
  type Logger,
  type MikroORM,
  type ServiceTokens,
} from '@airline/shared';

/** What the internal endpoints need. */
export interface InternalRouteDeps {
  orm: MikroORM;
  serviceTokens: ServiceTokens;
  logger: Logger;
}

/**
 * `GET /internal/stats`: messages per channel, kind and status, requests waiting, and this process's
 * memory (now and its peak), for operators and the bench. Operator tools hold SERVICE_SECRET and
 * present the gateway's identity; no end user's token is accepted.
 */
export function internalRoutes(deps: InternalRouteDeps): (app: Express) => void {
  return (app) =>
    mountInternalRoutes(app, { ...deps, callers: ['gateway'] }, (router) => {
      router.get('/stats', async (_req, res) => {
        const em = deps.orm.em.fork();
        const [messages, requests] = await Promise.all([
          em.execute<{ channel: string; kind: string; status: string; count: string }[]>(
            `SELECT channel, kind, status, count(*) AS count FROM notification
              GROUP BY channel, kind, status`,
          ),
          em.execute<{ state: string; count: string }[]>(
            'SELECT state, count(*) AS count FROM message_request GROUP BY state',
          ),
        ]);
        const memory = process.memoryUsage();
        res.json({
          messages: messages.map((m) => ({ ...m, count: Number(m.count) })),
          requests: Object.fromEntries(requests.map((r) => [r.state, Number(r.count)])),
          memory: {
            rssBytes: memory.rss,
            heapUsedBytes: memory.heapUsed,
            // The kernel's high-water mark of resident memory since the process started.
            maxRssBytes: process.resourceUsage().maxRSS * 1024,
          },
        });
      });
    });
}
