import { Writable } from 'node:stream';
import { context, propagation, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { createLogger } from '../logger.ts';
import { activeTraceIds, inMessageSpan, traceHeaders } from './propagation.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

/** Runs `fn` with a span of TRACE_ID active, as an instrumented request would. */
function inSpan<T>(fn: () => T): T {
  const span = trace.wrapSpanContext({
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    traceFlags: TraceFlags.SAMPLED,
  });
  return context.with(trace.setSpan(context.active(), span), fn);
}

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(() => {
  context.disable();
  propagation.disable();
});

describe('trace context in messages and logs', () => {
  test('headers written with a message carry the active trace as W3C traceparent', () => {
    expect(traceHeaders()).toEqual({});
    expect(inSpan(() => traceHeaders()).traceparent).toBe(`00-${TRACE_ID}-${SPAN_ID}-01`);
  });

  test('a consumer continues the trace found in the message headers and passes it on', async () => {
    const incoming = inSpan(() => traceHeaders());
    const { inside, outgoing } = await inMessageSpan(
      'bookings.saga process',
      'consumer',
      incoming,
      {},
      async (out) => ({ inside: activeTraceIds(), outgoing: out }),
    );
    expect(inside.trace_id).toBe(TRACE_ID);
    expect(outgoing.traceparent).toContain(TRACE_ID);
  });

  test('log lines written inside a span carry its trace_id and span_id', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const captured = createLogger({ logLevel: 'info', env: 'development' }, 'test', stream);
    inSpan(() => captured.info('inside'));
    expect(JSON.parse(lines[0]!)).toMatchObject({ trace_id: TRACE_ID, span_id: SPAN_ID });
  });
});
