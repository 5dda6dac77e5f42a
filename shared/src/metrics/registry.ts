import type express from 'express';
import { collectDefaultMetrics, register, type Registry } from 'prom-client';

// One registry per process: prom-client's global one, so a metric declared anywhere in shared
// (dead letters, RED, domain counters) lands on the same `/metrics` page without being passed around.

let defaultsCollected = false;

/** The process's one metrics registry. */
export const metricsRegistry: Registry = register;

/**
 * Turns on Node's own metrics (event-loop lag, heap, GC, handles) once per process; calling it again
 * is harmless, which matters when tests start every service in one process.
 */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: metricsRegistry, eventLoopMonitoringPrecision: 20 });
}

/** The Express handler of `GET /metrics` (Prometheus' text format). */
export function metricsHandler(): express.RequestHandler {
  collectProcessMetrics();
  return async (_req, res) => {
    res.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  };
}
