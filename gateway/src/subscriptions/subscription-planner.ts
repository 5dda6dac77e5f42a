import { createHash } from 'node:crypto';
import {
  GraphQLError,
  Kind,
  getOperationAST,
  print,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { buildOperationContext } from '@apollo/gateway';
import { Supergraph, operationFromDocument, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode } from '@apollo/query-planner';

/** The gateway's view of one operation over the API schema. */
type OperationContext = ReturnType<typeof buildOperationContext>;

/** How one subscription operation runs across the supergraph. */
export interface SubscriptionPlan {
  /** Identifies the operation (its text and name) within one supergraph. */
  key: string;
  operationName: string | undefined;
  operationContext: OperationContext;
  /** The subscription fetch to the subgraph that owns the root field. */
  primary: FetchNode;
  /** Entity fetches to other subgraphs, run once per event (absent: one subgraph serves it all). */
  rest: PlanNode | undefined;
  /**
   * True when every root field is tagged `@tag(name: "public")` in the supergraph: its events
   * are the same for every subscriber, so all of them share one upstream and one execution per
   * event, made anonymously (a user-dependent field below it resolves as for a guest, never as
   * another user). Otherwise each end user gets their own, run with their token.
   */
  public: boolean;
}

/** Plans kept per supergraph; a flood of distinct operations clears them rather than growing. */
const PLAN_CACHE_SIZE = 1_000;

/**
 * Plans subscriptions over one supergraph with Apollo's query planner (the same one the gateway
 * uses for queries: @apollo/gateway plans subscriptions but refuses to execute them). One
 * instance per supergraph SDL; a reload makes a new one.
 */
export class SubscriptionPlanner {
  /** The client-facing schema operations are validated against. */
  readonly apiSchema: GraphQLSchema;
  /** The supergraph as graphql-js sees it (what executeQueryPlan needs). */
  readonly supergraphSchema: GraphQLSchema;
  /** The API schema in federation-internals' own form (what executeQueryPlan needs). */
  readonly federationApiSchema: Schema;
  /** Each subgraph's routing URL, by name. */
  readonly subgraphUrls: ReadonlyMap<string, string>;
  readonly #planner: QueryPlanner;
  readonly #plans = new Map<string, SubscriptionPlan>();

  constructor(supergraphSdl: string) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.federationApiSchema = supergraph.apiSchema();
    this.apiSchema = this.federationApiSchema.toGraphQLJSSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.subgraphUrls = new Map(supergraph.subgraphsMetadata().map((s) => [s.name, s.url]));
    this.#planner = new QueryPlanner(supergraph);
  }

  /** Plans a validated subscription operation (cached); a GraphQLError when it cannot run. */
  plan(document: DocumentNode, operationName: string | undefined): SubscriptionPlan {
    const key = createHash('sha256')
      .update(print(document))
      .update(`\0${operationName ?? ''}`)
      .digest('base64url');
    const cached = this.#plans.get(key);
    if (cached) return cached;
    const operation = getOperationAST(document, operationName);
    if (operation?.operation !== 'subscription')
      throw new GraphQLError('Only subscription operations are planned here');
    const plan = this.#planner.buildQueryPlan(
      operationFromDocument(this.federationApiSchema, document, { operationName }),
    );
    const node = plan.node;
    if (node?.kind !== 'Subscription')
      throw new GraphQLError('This subscription cannot be planned over the supergraph');
    const planned: SubscriptionPlan = {
      key,
      operationName,
      operationContext: buildOperationContext({
        schema: this.apiSchema,
        operationDocument: document,
        operationName,
      }),
      primary: node.primary,
      rest: node.rest,
      public: allRootFieldsPublic(this.supergraphSchema, operation),
    };
    if (this.#plans.size >= PLAN_CACHE_SIZE) this.#plans.clear();
    this.#plans.set(key, planned);
    return planned;
  }
}

/** The tag that marks a subscription field as the same for every subscriber. */
export const PUBLIC_TAG = 'public';

function allRootFieldsPublic(
  supergraph: GraphQLSchema,
  operation: OperationDefinitionNode,
): boolean {
  const fields = supergraph.getSubscriptionType()?.getFields() ?? {};
  return operation.selectionSet.selections.every((selection) => {
    if (selection.kind !== Kind.FIELD) return false;
    if (selection.name.value === '__typename') return true;
    return (
      fields[selection.name.value]?.astNode?.directives?.some(
        (d) =>
          d.name.value === 'tag' &&
          d.arguments?.some((a) => a.value.kind === Kind.STRING && a.value.value === PUBLIC_TAG),
      ) ?? false
    );
  });
}
