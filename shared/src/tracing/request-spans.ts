import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';

/**
 * A SERVER span for each GraphQL request that continues the caller's W3C trace context, for when
 * the HTTP instrumentation is not loaded (in-process tests, or a process started without the
 * preload); with it loaded its own span is active already and this adds nothing. Mounted after
 * the body parser, so the context reaches Apollo's execution without crossing stream events.
 */
export function traceRequests(service: string): RequestHandler {
  const tracer = trace.getTracer('@airline/shared/http');
  return (req, res, next) => {
    if (trace.getActiveSpan()) return next();
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(
      `${req.method} ${req.baseUrl || req.path}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'service.component': service,
          'http.request.method': req.method,
          'server.port': req.socket.localPort ?? 0,
        },
      },
      parent,
    );
    res.once('close', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
