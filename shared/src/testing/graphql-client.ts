import type { Config, ServiceName } from '../config.ts';
import { GATEWAY_TOKEN_HEADER, ServiceTokens } from '../service-auth.ts';

/** A GraphQL response as a client sees it. */
export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: {
    message: string;
    path?: (string | number)[];
    extensions?: { code?: string; [k: string]: unknown };
  }[];
}

/** Options of one request. */
export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
}

/** A minimal HTTP GraphQL client, the way a web or mobile app talks to the gateway. */
export class GraphQLClient {
  readonly url: string;
  readonly #headers: () => Promise<Record<string, string>>;

  /** `headers` are added to every request (e.g. the gateway's credential for a subgraph). */
  constructor(url: string, headers: () => Promise<Record<string, string>> = async () => ({})) {
    this.url = url;
    this.#headers = headers;
  }

  /** Sends one operation and returns the parsed body (errors included, never thrown). */
  async request<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    options: RequestOptions = {},
  ): Promise<GraphQLResponse<T>> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await this.#headers()),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphQLResponse<T>;
  }

  /** Sends one operation and returns its data, failing loudly if there were errors. */
  async data<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    options: RequestOptions = {},
  ): Promise<T> {
    const body = await this.request<T>(query, variables, options);
    if (body.errors?.length || !body.data) {
      throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    }
    return body.data;
  }
}

/** The `extensions.code` of every error in a response. */
export const errorCodes = (res: GraphQLResponse<unknown>): (string | undefined)[] =>
  (res.errors ?? []).map((e) => e.extensions?.code);

/** The header with which the gateway proves itself to `subgraph` (tests calling a subgraph directly). */
export function gatewayHeaders(
  config: Config,
  subgraph: ServiceName,
): () => Promise<Record<string, string>> {
  const tokens = new ServiceTokens(config.serviceSecret, 'gateway');
  return async () => ({ [GATEWAY_TOKEN_HEADER]: await tokens.forAudience(subgraph) });
}

/** A client of one subgraph that presents the gateway's credential, as the gateway does. */
export function subgraphClient(config: Config, subgraph: ServiceName, url: string): GraphQLClient {
  return new GraphQLClient(url, gatewayHeaders(config, subgraph));
}
