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

  constructor(url: string) {
    this.url = url;
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
