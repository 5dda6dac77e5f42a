import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';

/** How a process's tracing is started: where spans go and what the process is called in them. */
export interface TracingOptions {
  serviceName: string;
  /** OTLP/HTTP base URL (e.g. http://jaeger:4318); `/v1/traces` is appended. */
  endpoint: string;
}

/** A started tracing SDK; `shutdown` flushes the spans still buffered. */
export interface Tracing {
  shutdown: () => Promise<void>;
}

/**
 * Starts OpenTelemetry for this process: HTTP (the gateway's fetches to subgraphs and every
 * server), Express, GraphQL execution, PostgreSQL, Redis and RabbitMQ spans, W3C trace context.
 * Health checks and metric scrapes are left out: they would drown the traces that matter.
 */
export function startTracing(options: TracingOptions): Tracing {
  const exporter = new OTLPTraceExporter({
    url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces`,
  });
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    traceExporter: exporter,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => /^\/(health|metrics)/.test(req.url ?? ''),
      }),
      new ExpressInstrumentation(),
      // Resolver spans for every field would be thousands per search: keep the operation's own.
      new GraphQLInstrumentation({ ignoreTrivialResolveSpans: true, mergeItems: true }),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
      new AmqplibInstrumentation(),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
