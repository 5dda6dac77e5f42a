import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
} from '@opentelemetry/api';

// W3C trace context travels in AMQP headers (`traceparent`, `tracestate`): stored with the outbox
// row when the event is written, so the relay, which runs later on its own connection, continues
// the trace of the request that caused it, and every consumer continues it again.

const tracer = () => trace.getTracer('@airline/shared/messaging');

/** The active trace context as W3C headers (empty when tracing is off or nothing is active). */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** The trace context carried by message headers (the root context when there is none). */
function contextOf(headers: Record<string, unknown> | undefined): Context {
  const carrier: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {}))
    if (typeof value === 'string') carrier[key] = value;
  return propagation.extract(context.active(), carrier);
}

/**
 * Runs `fn` inside a span that continues the trace found in `headers` (a PRODUCER span for the
 * relay's publish, a CONSUMER span for a handler); `fn` gets the headers to pass on further.
 */
export async function inMessageSpan<T>(
  name: string,
  kind: 'producer' | 'consumer',
  headers: Record<string, unknown> | undefined,
  attributes: Record<string, string>,
  fn: (outgoing: Record<string, string>) => Promise<T>,
): Promise<T> {
  const parent = contextOf(headers);
  const span = tracer().startSpan(
    name,
    { kind: kind === 'producer' ? SpanKind.PRODUCER : SpanKind.CONSUMER, attributes },
    parent,
  );
  const active = trace.setSpan(parent, span);
  try {
    return await context.with(active, () => fn(traceHeaders(active)));
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    span.end();
  }
}

/** The active span's trace and span ids, for log lines and error extensions (empty when none). */
export function activeTraceIds(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  const ids = span?.spanContext();
  if (!ids || !trace.isSpanContextValid(ids)) return {};
  return { trace_id: ids.traceId, span_id: ids.spanId };
}
