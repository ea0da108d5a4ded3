import { print, type DocumentNode } from 'graphql';

/**
 * A generated document of @runview/documents: a DocumentNode that carries its result and
 * variable types (structurally the TypedDocumentNode of the generated code).
 */
export interface TypedDocumentNode<R, V> extends DocumentNode {
  readonly __apiType?: (variables: V) => R;
}

/** A request to the server failed: unreachable, an HTTP error, or GraphQL errors in the answer. */
export class SimulationError extends Error {
  override readonly name = 'SimulationError';
  /** `extensions.code` of the first GraphQL error, when the server sent one. */
  readonly code: string | undefined;

  constructor(message: string, options: { code?: string | undefined; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
  }
}

/** One GraphQL error as the server sends it. */
export interface GraphQLErrorEntry {
  readonly message: string;
  readonly extensions?: { readonly code?: string };
}

/** A GraphQL answer: `data`, `errors`, or both. */
export interface GraphQLAnswer<R> {
  readonly data?: R | null;
  readonly errors?: readonly GraphQLErrorEntry[];
}

export interface GraphQLClientOptions {
  /** The server's base URL (`http://127.0.0.1:4200`) or its GraphQL endpoint (`…/graphql`). */
  readonly url: string;
  /** Sent as `Authorization: Bearer <key>`. */
  readonly apiKey?: string;
  /** Sent as `X-Prefect-Tenant-Id`, as Prefect Core does with API keys. */
  readonly tenantId?: string;
  /** The fetch to use (default: the global one); a server's in-process `fetch` works too. */
  readonly fetch?: (request: Request) => Promise<Response>;
  readonly signal?: AbortSignal;
}

/** A minimal GraphQL-over-HTTP client for the shipped documents: print, POST, parse. */
export interface GraphQLClient {
  /** The endpoint requests go to. */
  readonly endpoint: string;
  /** The raw answer, errors included. */
  send<R, V>(document: TypedDocumentNode<R, V>, variables: V): Promise<GraphQLAnswer<R>>;
  /** The data; GraphQL errors become a {@link SimulationError}. */
  request<R, V>(document: TypedDocumentNode<R, V>, variables: V): Promise<R>;
}

/** A server URL, checked: an http:// or https:// URL, or a {@link SimulationError}. */
export function serverUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SimulationError(`invalid server URL ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SimulationError(`invalid server URL ${JSON.stringify(url)}: expected http:// or https://`);
  }
  return parsed;
}

/** `http://host:port` becomes `http://host:port/graphql`; a URL with a path is kept as given. */
export function graphqlEndpoint(url: string): string {
  const parsed = serverUrl(url);
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = '/graphql';
  return parsed.toString();
}

/**
 * POSTs a GraphQL request and parses the answer: an unreachable server or an answer that is not
 * JSON becomes a {@link SimulationError}; an abort is passed on as it is.
 */
export async function postGraphQL<R>(
  doFetch: (request: Request) => Promise<Response>,
  endpoint: string,
  init: RequestInit,
  signal: AbortSignal | undefined,
): Promise<GraphQLAnswer<R>> {
  let response: Response;
  try {
    response = await doFetch(new Request(endpoint, signal === undefined ? init : { ...init, signal }));
  } catch (error) {
    if (signal?.aborted === true) throw error;
    throw new SimulationError(`cannot reach ${endpoint}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  try {
    return (await response.json()) as GraphQLAnswer<R>;
  } catch (error) {
    throw new SimulationError(`${endpoint} answered HTTP ${String(response.status)} without a GraphQL response`, { cause: error });
  }
}

export function createGraphQLClient(options: GraphQLClientOptions): GraphQLClient {
  const endpoint = graphqlEndpoint(options.url);
  const doFetch = options.fetch ?? ((request: Request) => fetch(request));
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (options.apiKey !== undefined) headers['authorization'] = `Bearer ${options.apiKey}`;
  if (options.tenantId !== undefined) headers['x-prefect-tenant-id'] = options.tenantId;

  function send<R, V>(document: TypedDocumentNode<R, V>, variables: V): Promise<GraphQLAnswer<R>> {
    return postGraphQL<R>(doFetch, endpoint, { method: 'POST', headers, body: JSON.stringify({ query: print(document), variables }) }, options.signal);
  }

  return {
    endpoint,
    send,
    async request(document, variables) {
      const answer = await send(document, variables);
      const [first] = answer.errors ?? [];
      if (first !== undefined) throw new SimulationError(first.message, { code: first.extensions?.code });
      if (answer.data === undefined || answer.data === null) throw new SimulationError(`${endpoint} answered without data`);
      return answer.data;
    },
  };
}
