import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

/** How a watched subscription ended: the server completed it, or it failed (errors or a close). */
export type WatchEnd = { kind: 'complete' } | { kind: 'error'; error: unknown };

/** One running subscription as a test sees it: every event, in order, and how it ended. */
export class Watch<T = Record<string, unknown>> {
  readonly events: FormattedExecutionResult<T>[] = [];
  end: WatchEnd | undefined;
  readonly ended: Promise<WatchEnd>;
  stop: () => void = () => {};
  #changed: (() => void)[] = [];
  #settle!: (end: WatchEnd) => void;

  constructor() {
    this.ended = new Promise((resolve) => (this.#settle = resolve));
  }

  /** Records an event (the client's sink). */
  push(event: FormattedExecutionResult<T>): void {
    this.events.push(event);
    this.#notify();
  }

  /** Records the end (the client's sink). */
  finish(end: WatchEnd): void {
    this.end ??= end;
    this.#settle(end);
    this.#notify();
  }

  /** Waits for the first event from index `from` on that satisfies `match`; returns it. */
  async next(
    match: (data: T) => boolean = () => true,
    { from = 0, timeoutMs = 10_000 }: { from?: number; timeoutMs?: number } = {},
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.slice(from).find((e) => e.data && match(e.data));
      if (hit) return hit.data!;
      if (this.end) throw new Error(`subscription ended (${JSON.stringify(this.end)}) first`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no matching event within ${timeoutMs} ms: ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#changed.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  #notify(): void {
    for (const wake of this.#changed.splice(0)) wake();
  }
}

/**
 * A graphql-ws client of the gateway, as a web or mobile app would open one: the token in
 * `connectionParams.authorization`, no automatic retries (a test sees every close).
 */
export class LiveClient {
  readonly client: Client;
  /** Close events the socket saw (code, reason). */
  readonly closes: { code: number; reason: string }[] = [];
  socket: WebSocket | undefined;

  constructor(gatewayUrl: string, token?: string, options: { header?: boolean } = {}) {
    const url = `${gatewayUrl.replace(/^http/, 'ws')}/graphql`;
    const auth = token ? `Bearer ${token}` : undefined;
    // With `header`, the token travels on the upgrade request instead (non-browser clients).
    const Impl = class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(
          address,
          protocols,
          auth && options.header ? { headers: { authorization: auth } } : {},
        );
      }
    };
    this.client = createClient({
      url,
      webSocketImpl: Impl,
      connectionParams: auth && !options.header ? { authorization: auth } : {},
      retryAttempts: 0,
      lazy: true,
      on: {
        opened: (socket) => (this.socket = socket as WebSocket),
        closed: (event) => {
          const { code, reason } = event as { code: number; reason: string };
          this.closes.push({ code, reason: String(reason) });
        },
      },
    });
  }

  /** Starts a subscription and returns its watch once the server has taken it. */
  async subscribe<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<Watch<T>> {
    const watch = new Watch<T>();
    watch.stop = this.client.subscribe<T>(
      { query, variables },
      {
        next: (event) => watch.push(event as FormattedExecutionResult<T>),
        error: (error) => watch.finish({ kind: 'error', error }),
        complete: () => watch.finish({ kind: 'complete' }),
      },
    );
    return watch;
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}
