import {
  GraphQLError,
  specifiedRules,
  validate,
  type DocumentNode,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
} from 'graphql';
import { executeQueryPlan, type GraphQLDataSource, type ServiceMap } from '@apollo/gateway';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import type { PlanNode } from '@apollo/query-planner';
import { EventQueue } from '@airline/shared/live/event-queue';
import { UpstreamExtension } from '@airline/shared/live/upstream-protocol';
import type { Logger } from '@airline/shared/logger';
import type { GatewayContext } from '../auth-forwarding.ts';
import { mergeResults } from './merge-results.ts';
import type { SubscriptionPlan, SubscriptionPlanner } from './subscription-planner.ts';
import type { UpstreamClients } from './upstream-clients.ts';

/** Events one client may have waiting before newer ones are merged into the last (latest wins). */
export const CLIENT_QUEUE_CAPACITY = 32;

/** What the fan-out needs from the gateway. */
export interface FanoutOptions {
  upstream: UpstreamClients;
  /** The gateway's own data source for a subgraph (credential, forwarded user, timeout). */
  buildDataSource: (name: string, url: string) => GraphQLDataSource<GatewayContext>;
  formatError: (error: GraphQLFormattedError) => GraphQLFormattedError;
  logger: Logger;
  queueCapacity?: number;
}

/** One client's subscription, validated against the current API schema. */
export interface ClientSubscription {
  document: DocumentNode;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  /** The client's request context: its token reaches every subgraph the events touch. */
  context: GatewayContext;
  /** Who the client is for sharing (`<id>:<roles>`), null when anonymous. */
  userKey: string | null;
  /** Called when the client has fallen behind and its events are being merged. */
  onBehind?: () => void;
}

/** Counts of the fan-out, for tests and the bench. */
export interface FanoutStats {
  /** Upstream subscriptions open to subgraphs. */
  upstreams: number;
  /** Shared executions (one per document, variables and scope). */
  executions: number;
  clients: number;
  /** The longest client queue right now (never above the capacity). */
  longestQueue: number;
  /** Events folded into others for clients that fell behind, since start. */
  merged: number;
}

// The primary fetch of a plan is answered by the event itself: a pseudo-service by this name.
const EVENT_SERVICE = '__subscription_event__';

/** Keys that do not depend on the order variables were written in. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** Identical client subscriptions: one execution of the plan per event, its result for all. */
class SharedExecution {
  /** Each client's queue, with the client's own context. */
  readonly queues = new Map<EventQueue<FormattedExecutionResult>, GatewayContext>();
  upstream: Upstream | undefined;
  /**
   * Every event so far folded into one (the first event is the subgraph's snapshot): what a
   * client joining later gets first, so it starts from the whole state like the first one did.
   */
  state: FormattedExecutionResult | undefined;
  /**
   * The context the entity fetches run with: anonymous for a public execution, else the latest
   * client's (all of them are the same end user; the latest has the freshest token).
   */
  context: GatewayContext;
  plan: SubscriptionPlan;
  planner: SubscriptionPlanner;
  readonly key: string;
  readonly scope: string;
  readonly document: DocumentNode;
  readonly operationName: string | undefined;
  readonly variables: Record<string, unknown>;
  #chain: Promise<void> = Promise.resolve();

  constructor(
    init: Pick<
      SharedExecution,
      'key' | 'scope' | 'document' | 'operationName' | 'variables' | 'plan' | 'planner' | 'context'
    >,
  ) {
    this.key = init.key;
    this.scope = init.scope;
    this.document = init.document;
    this.operationName = init.operationName;
    this.variables = init.variables;
    this.plan = init.plan;
    this.planner = init.planner;
    this.context = init.context;
  }

  /** Runs `work` after the previous event's: events reach clients in the upstream's order. */
  then(work: () => Promise<void>): void {
    this.#chain = this.#chain.then(work).catch(() => {});
  }

  /** Resolves once every event taken so far has been delivered. */
  settled(): Promise<void> {
    return this.#chain;
  }
}

/** One upstream subscription to a subgraph, shared by the executions with its primary fetch. */
class Upstream {
  readonly executions = new Set<SharedExecution>();
  stop: () => void = () => {};
  readonly key: string;
  readonly subgraph: string;
  readonly url: string;

  constructor(key: string, subgraph: string, url: string) {
    this.key = key;
    this.subgraph = subgraph;
    this.url = url;
  }
}

/**
 * The gateway's subscription fan-out. Identical client subscriptions share one execution per
 * event, and executions whose primary fetch is the same share one upstream subscription; a
 * public subscription is shared by everyone, any other one per end user. Each client reads from
 * its own bounded queue, so a slow client costs a bounded amount of memory and never delays the
 * others. On a supergraph reload, running subscriptions are planned again: those whose primary
 * fetch is unchanged keep their upstream, moved ones resubscribe, invalid ones end with an error.
 */
export class SubscriptionFanout {
  readonly #options: FanoutOptions;
  readonly #executions = new Map<string, SharedExecution>();
  readonly #upstreams = new Map<string, Upstream>();
  readonly #dataSources = new Map<string, GraphQLDataSource<GatewayContext>>();
  readonly #serviceMaps = new WeakMap<SubscriptionPlanner, ServiceMap>();
  #planner: SubscriptionPlanner | undefined;
  #merged = 0;

  constructor(options: FanoutOptions) {
    this.#options = options;
  }

  /** The planner of the current supergraph (undefined until the first one is loaded). */
  get planner(): SubscriptionPlanner | undefined {
    return this.#planner;
  }

  /** Starts a client's subscription; a GraphQLError when it cannot be planned. */
  subscribe(client: ClientSubscription): EventQueue<FormattedExecutionResult> {
    const planner = this.#planner;
    if (!planner) throw new GraphQLError('The supergraph is not loaded yet');
    const plan = planner.plan(client.document, client.operationName);
    const scope = plan.public ? 'public' : `user:${client.userKey ?? 'anonymous'}`;
    const key = `${plan.key}|${stableJson(client.variables)}|${scope}`;
    let execution = this.#executions.get(key);
    if (!execution) {
      execution = new SharedExecution({
        key,
        scope,
        document: client.document,
        operationName: client.operationName,
        variables: client.variables,
        plan,
        planner,
        context: plan.public
          ? { requestId: `live:${plan.key}`, clientIp: 'gateway' }
          : client.context,
      });
      this.#executions.set(key, execution);
      this.#attach(execution);
    } else if (!plan.public) {
      execution.context = client.context;
    }
    const shared = execution;
    const queue: EventQueue<FormattedExecutionResult> = new EventQueue({
      capacity: this.#options.queueCapacity ?? CLIENT_QUEUE_CAPACITY,
      merge: (older, newer) => {
        this.#merged++;
        client.onBehind?.();
        return mergeResults(older, newer);
      },
      onClose: () => this.#leave(shared, queue),
    });
    // A latecomer starts from the state so far; an event being resolved right now is not in it
    // yet and reaches this queue after it.
    if (shared.state) queue.push(shared.state);
    shared.queues.set(queue, client.context);
    return queue;
  }

  /** Re-plans every running subscription over a new supergraph (also the first load). */
  reload(planner: SubscriptionPlanner): void {
    this.#planner = planner;
    for (const execution of [...this.#executions.values()]) {
      const errors = validate(planner.apiSchema, execution.document, specifiedRules);
      let plan: SubscriptionPlan;
      try {
        if (errors.length) throw errors[0]!;
        plan = planner.plan(execution.document, execution.operationName);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        this.#end(
          execution,
          new GraphQLError(
            `The supergraph changed and this subscription no longer runs: ${reason}`,
            {
              extensions: { code: 'SUBSCRIPTION_INVALIDATED' },
            },
          ),
        );
        continue;
      }
      execution.plan = plan;
      execution.planner = planner;
      if (execution.upstream?.key !== this.#upstreamKey(execution)) {
        this.#detach(execution);
        this.#attach(execution);
      }
    }
  }

  /** Current counts. */
  stats(): FanoutStats {
    let clients = 0;
    let longestQueue = 0;
    for (const execution of this.#executions.values())
      for (const queue of execution.queues.keys()) {
        clients++;
        longestQueue = Math.max(longestQueue, queue.size);
      }
    return {
      upstreams: this.#upstreams.size,
      executions: this.#executions.size,
      clients,
      longestQueue,
      merged: this.#merged,
    };
  }

  /** Ends every subscription (shutdown): clients get `complete`. */
  dispose(): void {
    for (const execution of [...this.#executions.values()]) this.#end(execution);
  }

  #upstreamKey(execution: SharedExecution): string {
    const { primary } = execution.plan;
    const url = execution.planner.subgraphUrls.get(primary.serviceName) ?? '';
    const used = Object.fromEntries(
      (primary.variableUsages ?? []).map((name) => [name, execution.variables[name]]),
    );
    return [primary.serviceName, url, primary.operation, stableJson(used), execution.scope].join(
      '|',
    );
  }

  #attach(execution: SharedExecution): void {
    const key = this.#upstreamKey(execution);
    let upstream = this.#upstreams.get(key);
    if (!upstream) {
      const { primary } = execution.plan;
      const url = execution.planner.subgraphUrls.get(primary.serviceName) ?? '';
      upstream = new Upstream(key, primary.serviceName, url);
      this.#upstreams.set(key, upstream);
      this.#start(upstream, execution);
    }
    upstream.executions.add(execution);
    execution.upstream = upstream;
  }

  #detach(execution: SharedExecution): void {
    const upstream = execution.upstream;
    execution.upstream = undefined;
    if (!upstream || !upstream.executions.delete(execution) || upstream.executions.size) return;
    this.#upstreams.delete(upstream.key);
    upstream.stop();
  }

  #start(upstream: Upstream, first: SharedExecution): void {
    const { primary } = first.plan;
    const { context } = first;
    const extensions: Record<string, string> = {
      [UpstreamExtension.RequestId]: context.requestId,
      [UpstreamExtension.ClientIp]: context.clientIp,
    };
    if (first.scope !== 'public' && context.authorization)
      extensions[UpstreamExtension.Authorization] = context.authorization;
    upstream.stop = this.#options.upstream.subscribe(
      upstream.subgraph,
      upstream.url,
      {
        query: primary.operation,
        operationName: primary.operationName,
        variables: Object.fromEntries(
          (primary.variableUsages ?? []).map((name) => [name, first.variables[name]]),
        ),
        extensions,
      },
      {
        next: (event) => {
          for (const execution of upstream.executions) this.#deliver(execution, event);
        },
        error: (error) => {
          const message = Array.isArray(error)
            ? String((error[0] as GraphQLFormattedError | undefined)?.message)
            : error instanceof Error
              ? error.message
              : 'the subgraph closed the subscription';
          for (const execution of [...upstream.executions])
            this.#end(execution, new GraphQLError(`Subscription failed: ${message}`));
        },
        complete: () => {
          for (const execution of [...upstream.executions]) this.#end(execution);
        },
      },
    );
  }

  #deliver(execution: SharedExecution, event: FormattedExecutionResult): void {
    execution.then(async () => {
      let result: FormattedExecutionResult;
      try {
        result = await this.#execute(execution, event);
      } catch (err) {
        this.#options.logger.error({ err }, 'subscription event could not be resolved');
        result = {
          data: null,
          errors: [this.#options.formatError({ message: 'Internal server error' })],
        };
      }
      if (!result.errors?.length)
        execution.state = execution.state ? mergeResults(execution.state, result) : result;
      for (const queue of execution.queues.keys()) queue.push(result);
    });
  }

  /** Resolves one event: the primary fetch answered by the event, then the rest of the plan. */
  async #execute(
    execution: SharedExecution,
    event: FormattedExecutionResult,
  ): Promise<FormattedExecutionResult> {
    const { plan, planner, context, variables } = execution;
    const primary = { ...plan.primary, serviceName: EVENT_SERVICE };
    const node: PlanNode = plan.rest ? { kind: 'Sequence', nodes: [primary, plan.rest] } : primary;
    const eventSource = {
      process: async () => ({ data: event.data ?? null, errors: event.errors }),
    } as unknown as GraphQLDataSource;
    const serviceMap: ServiceMap = Object.create(this.#serviceMap(planner));
    serviceMap[EVENT_SERVICE] = eventSource;
    // The parts of a request context that query plan execution reads.
    const requestContext = {
      request: { variables, operationName: plan.operationName },
      context,
      logger: this.#options.logger,
      metrics: {},
    } as unknown as GatewayGraphQLRequestContext<GatewayContext>;
    const result = await executeQueryPlan(
      { kind: 'QueryPlan', node },
      serviceMap,
      requestContext,
      plan.operationContext,
      planner.supergraphSchema,
      planner.federationApiSchema,
    );
    return {
      data: (result.data as Record<string, unknown> | null | undefined) ?? null,
      ...(result.errors?.length
        ? { errors: result.errors.map((e) => this.#options.formatError(e.toJSON())) }
        : {}),
    };
  }

  /** The data sources of a supergraph's subgraphs; one per name and URL, kept across reloads. */
  #serviceMap(planner: SubscriptionPlanner): ServiceMap {
    let map = this.#serviceMaps.get(planner);
    if (!map) {
      map = {};
      for (const [name, url] of planner.subgraphUrls) {
        const key = `${name}|${url}`;
        let source = this.#dataSources.get(key);
        if (!source) {
          source = this.#options.buildDataSource(name, url);
          this.#dataSources.set(key, source);
        }
        map[name] = source;
      }
      this.#serviceMaps.set(planner, map);
    }
    return map;
  }

  #leave(execution: SharedExecution, queue: EventQueue<FormattedExecutionResult>): void {
    if (!execution.queues.delete(queue)) return;
    if (execution.queues.size) {
      if (execution.scope !== 'public') execution.context = [...execution.queues.values()].at(-1)!;
      return;
    }
    if (this.#executions.get(execution.key) === execution) this.#executions.delete(execution.key);
    this.#detach(execution);
  }

  /** Ends an execution's clients, after the events already taken, with an error or `complete`. */
  #end(execution: SharedExecution, error?: GraphQLError): void {
    if (this.#executions.get(execution.key) === execution) this.#executions.delete(execution.key);
    this.#detach(execution);
    void execution.settled().then(() => {
      for (const queue of [...execution.queues.keys()]) queue.end(error);
    });
  }
}
