import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import type { GatewayContext } from './auth-forwarding.ts';

type SingleResult = FormattedExecutionResult;

/** One operation being executed, and the identical ones waiting for its answer. */
interface InFlight {
  /** The leader's error-free result, or null when waiters must execute on their own. */
  answer: Promise<SingleResult | null>;
  settle: (result: SingleResult | null) => void;
  waiters: number;
  timer: NodeJS.Timeout;
}

/** How long waiters wait for an identical operation by default before running their own. */
export const DEFAULT_MAX_WAIT_MS = 5_000;

/**
 * Whole-operation in-flight deduplication. Concurrent identical queries (same document, operation
 * name, variables and authorization) share one execution: the first runs the query plan, the
 * others wait for its answer and send it as theirs. Only an error-free answer is shared (a
 * waiter whose leader failed executes on its own), never for mutations or subscriptions, never
 * between two different tokens, and waiters give up after `maxWaitMs`. Nothing outlives the
 * leader's request, so this is not a cache.
 *
 * `stringifyResult` (for ApolloServer's option of that name) serialises a shared answer once for
 * all its waiters.
 */
export function inflightOperations({ maxWaitMs = DEFAULT_MAX_WAIT_MS } = {}) {
  const inFlight = new Map<string, InFlight>();
  // The data of an answer sent to waiters, with its JSON once someone serialised it.
  const serialised = new WeakMap<object, { extensions: unknown; text?: string }>();

  const plugin: ApolloServerPlugin<GatewayContext> = {
    async serverWillStart() {
      return {
        // A new supergraph may answer differently: waiters of the old one finish on their own.
        schemaDidLoadOrUpdate() {
          for (const entry of inFlight.values()) entry.settle(null);
          inFlight.clear();
        },
      };
    },
    async requestDidStart() {
      let leading: { key: string; entry: InFlight } | undefined;
      return {
        async responseForOperation(ctx): Promise<GraphQLResponse | null> {
          if (ctx.operation?.operation !== 'query' || !ctx.queryHash) return null;
          const key = JSON.stringify([
            ctx.queryHash,
            ctx.operationName ?? null,
            ctx.request.variables ?? {},
            ctx.contextValue.authorization ?? null,
          ]);
          const leader = inFlight.get(key);
          if (!leader) {
            let settle!: (result: SingleResult | null) => void;
            const answer = new Promise<SingleResult | null>((resolve) => (settle = resolve));
            const entry: InFlight = {
              answer,
              settle,
              waiters: 0,
              // A leader that never reaches willSendResponse must not hold its key.
              timer: setTimeout(() => release(key, entry, null), maxWaitMs).unref(),
            };
            inFlight.set(key, entry);
            leading = { key, entry };
            return null;
          }
          leader.waiters++;
          let timer: NodeJS.Timeout | undefined;
          const result = await Promise.race([
            leader.answer,
            new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), maxWaitMs))),
          ]);
          clearTimeout(timer);
          leader.waiters--;
          if (!result) return null;
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { ...result } },
          };
        },
        async willSendResponse(ctx) {
          if (!leading) return;
          const { key, entry } = leading;
          leading = undefined;
          const { body, http } = ctx.response;
          const shareable =
            body.kind === 'single' &&
            !body.singleResult.errors?.length &&
            (http.status ?? 200) === 200;
          release(key, entry, shareable ? body.singleResult : null);
        },
      };
    },
  };

  function release(key: string, entry: InFlight, result: SingleResult | null): void {
    clearTimeout(entry.timer);
    if (inFlight.get(key) === entry) inFlight.delete(key);
    if (result && entry.waiters > 0 && result.data)
      serialised.set(result.data, { extensions: result.extensions });
    entry.settle(result);
  }

  /** ApolloServer's `stringifyResult`: JSON with a newline, computed once per shared answer. */
  const stringifyResult = (value: SingleResult): string => {
    const shared = !value.errors && value.data ? serialised.get(value.data) : undefined;
    if (!shared || shared.extensions !== value.extensions) return JSON.stringify(value) + '\n';
    return (shared.text ??= JSON.stringify(value) + '\n');
  };

  /** How many operations lead, and how many wait for one of them (tests and metrics). */
  const stats = () => ({
    leaders: inFlight.size,
    waiters: [...inFlight.values()].reduce((n, entry) => n + entry.waiters, 0),
  });
  return { plugin, stringifyResult, stats };
}
