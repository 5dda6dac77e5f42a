import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { UpstreamParam } from '@airline/shared/live/upstream-protocol';
import type { Logger } from '@airline/shared/logger';
import type { ServiceIdentity, ServiceTokens } from '@airline/shared/service-auth';

/** What one upstream subscription sends to a subgraph. */
export interface UpstreamRequest {
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  /** Per operation: the end user (UpstreamExtension keys). */
  extensions: Record<string, string>;
}

/** Receives one upstream subscription's results, its end, or its failure. */
export interface UpstreamSink {
  next(result: FormattedExecutionResult): void;
  /** The subgraph refused the operation, or the connection failed for good. */
  error(error: unknown): void;
  complete(): void;
}

// Reconnects quickly (a subgraph restart or deploy takes a second or two): 100 ms doubling to
// 2 s, with jitter so that gateways do not reconnect in lockstep.
const retryWait = (retries: number) =>
  new Promise<void>((resolve) =>
    setTimeout(resolve, Math.min(2_000, 100 * 2 ** retries) * (0.5 + Math.random() / 2)),
  );

/**
 * The gateway's graphql-ws connections to subgraphs: one per subgraph URL, opened on first use
 * and closed a little after its last subscription ends, carrying every subscription to that
 * subgraph. The gateway proves itself in `connection_init` with a credential addressed to the
 * subgraph. graphql-ws's client reconnects on its own and subscribes again what was running, so
 * a restarted subgraph resumes its streams.
 */
export class UpstreamClients {
  readonly #tokens: ServiceTokens;
  readonly #logger: Logger;
  readonly #clients = new Map<string, Client>();

  constructor(serviceTokens: ServiceTokens, logger: Logger) {
    this.#tokens = serviceTokens;
    this.#logger = logger.child({ component: 'upstream-subscriptions' });
  }

  /** Starts one subscription on `subgraph` at `url`; returns the function that ends it. */
  subscribe(
    subgraph: string,
    url: string,
    request: UpstreamRequest,
    sink: UpstreamSink,
  ): () => void {
    return this.#client(subgraph, url).subscribe(
      {
        query: request.query,
        operationName: request.operationName ?? null,
        variables: request.variables,
        extensions: request.extensions,
      },
      sink,
    );
  }

  /** Closes every connection (shutdown). */
  async dispose(): Promise<void> {
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    // A client still reconnecting to a subgraph that is gone has no socket to close: graphql-ws
    // rejects its dispose with the last close event, which must not fail the gateway's shutdown.
    await Promise.allSettled(clients.map((c) => c.dispose()));
  }

  #client(subgraph: string, url: string): Client {
    const wsUrl = url.replace(/^http/, 'ws');
    let client = this.#clients.get(wsUrl);
    if (client) return client;
    client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: async () => ({
        [UpstreamParam.GatewayToken]: await this.#tokens.forAudience(subgraph as ServiceIdentity),
      }),
      lazy: true,
      lazyCloseTimeout: 5_000,
      keepAlive: 10_000,
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      retryWait,
      on: {
        connected: () => this.#logger.debug({ subgraph, url: wsUrl }, 'upstream connected'),
        closed: (event) =>
          this.#logger.debug(
            { subgraph, code: (event as { code?: number }).code },
            'upstream closed',
          ),
      },
    });
    this.#clients.set(wsUrl, client);
    return client;
  }
}
