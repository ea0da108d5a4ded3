/**
 * Requests as Prefect Core 1.4.1's `Client.graphql` sends them: a POST to the configured URL
 * exactly (its default `http://localhost:4200` has no path), an anonymous document, `variables`
 * as a JSON-encoded string (`"null"` when there are none), the `X-PREFECT-CORE-VERSION`
 * header, and the ids Prefect renders with `with_args` written into the document as literals.
 */
import { Kind, print, visit, type DocumentNode, type OperationDefinitionNode, type ValueNode } from 'graphql';
import { postGraphQL, serverUrl, SimulationError, type TypedDocumentNode } from './client.js';

/** The Prefect Core release whose agent and runners the simulator plays. */
export const PREFECT_CORE_VERSION = '1.4.1';

export interface PrefectClientOptions {
  /** The server URL, posted to as given (a trailing slash removed), as Prefect's client does. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <key>`. */
  readonly apiKey?: string;
  /** Sent as `X-PREFECT-TENANT-ID`. */
  readonly tenantId?: string;
  /** The fetch to use (default the global one); a server's in-process `fetch` works too. */
  readonly fetch?: (request: Request) => Promise<Response>;
  readonly signal?: AbortSignal;
}

export interface PrefectRequestOptions {
  /**
   * Write the variables into the document as literals and send `variables: "null"`, as Prefect
   * does for the requests it builds with `with_args` (run reads, heartbeats, task run info).
   */
  readonly literal?: boolean;
  /** Headers of this request only: `X-PREFECT-AGENT-ID`, `X-PREFECT-HEARTBEAT-ID`. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface PrefectClient {
  /** Where requests go. */
  readonly url: string;
  /** The data; GraphQL errors (even beside data, as Prefect treats them) become a {@link SimulationError}. */
  request<R, V>(document: TypedDocumentNode<R, V>, variables: V, options?: PrefectRequestOptions): Promise<R>;
  /** How many requests went out per root field, in the order each was first sent. */
  readonly calls: ReadonlyMap<string, number>;
}

function operationOf(document: DocumentNode): OperationDefinitionNode {
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new TypeError('the document has no operation');
  return operation;
}

function rootFieldOf(document: DocumentNode): string {
  const [first] = operationOf(document).selectionSet.selections;
  return first?.kind === Kind.FIELD ? first.name.value : 'unknown';
}

/** A JSON value as a GraphQL literal, the way Prefect's `with_args` renders Python values. */
function literalOf(value: unknown): ValueNode {
  if (value === null || value === undefined) return { kind: Kind.NULL };
  if (typeof value === 'string') return { kind: Kind.STRING, value };
  if (typeof value === 'boolean') return { kind: Kind.BOOLEAN, value };
  if (typeof value === 'number') return Number.isInteger(value) ? { kind: Kind.INT, value: String(value) } : { kind: Kind.FLOAT, value: String(value) };
  if (Array.isArray(value)) return { kind: Kind.LIST, values: value.map(literalOf) };
  if (typeof value === 'object') {
    return {
      kind: Kind.OBJECT,
      fields: Object.entries(value as Record<string, unknown>)
        .filter(([, field]) => field !== undefined)
        .map(([name, field]) => ({ kind: Kind.OBJECT_FIELD, name: { kind: Kind.NAME, value: name }, value: literalOf(field) })),
    };
  }
  throw new TypeError(`no GraphQL literal for a ${typeof value}`);
}

/**
 * The document without its operation name (Prefect's are anonymous), variables written in when
 * `literals` are given. An anonymous query keeps its `query` keyword, as Prefect writes it.
 */
function render(document: DocumentNode, literals?: Readonly<Record<string, unknown>>): string {
  const text = print(
    visit(document, {
      OperationDefinition: (node) => ({ ...node, name: undefined, ...(literals === undefined ? {} : { variableDefinitions: [] }) }),
      Variable: (node) => (literals === undefined ? undefined : literalOf(literals[node.name.value])),
    }),
  );
  return text.startsWith('{') ? `query ${text}` : text;
}

/** `url` as Prefect's client posts to it: `urljoin(server, "").rstrip("/")`. */
function prefectEndpoint(url: string): string {
  return serverUrl(url).toString().replace(/\/+$/, '');
}

export function createPrefectClient(options: PrefectClientOptions): PrefectClient {
  const url = prefectEndpoint(options.url);
  const doFetch = options.fetch ?? ((request: Request) => fetch(request));
  const base: Record<string, string> = { 'content-type': 'application/json', accept: '*/*', 'x-prefect-core-version': PREFECT_CORE_VERSION };
  if (options.apiKey !== undefined) base['authorization'] = `Bearer ${options.apiKey}`;
  if (options.tenantId !== undefined) base['x-prefect-tenant-id'] = options.tenantId;
  const printed = new WeakMap<DocumentNode, string>();
  const calls = new Map<string, number>();

  function bodyOf(document: DocumentNode, variables: unknown, literal: boolean): string {
    const hasVariables = (operationOf(document).variableDefinitions ?? []).length > 0;
    if (literal || !hasVariables) {
      const query = literal ? render(document, variables as Record<string, unknown>) : (printed.get(document) ?? render(document));
      return JSON.stringify({ query, variables: 'null' });
    }
    let query = printed.get(document);
    if (query === undefined) {
      query = render(document);
      printed.set(document, query);
    }
    return JSON.stringify({ query, variables: JSON.stringify(variables) });
  }

  async function request<R, V>(document: TypedDocumentNode<R, V>, variables: V, requestOptions: PrefectRequestOptions = {}): Promise<R> {
    const field = rootFieldOf(document);
    calls.set(field, (calls.get(field) ?? 0) + 1);
    const body = bodyOf(document, variables, requestOptions.literal === true);
    const answer = await postGraphQL<R>(doFetch, url, { method: 'POST', headers: { ...base, ...requestOptions.headers }, body }, options.signal);
    const [first] = answer.errors ?? [];
    if (first !== undefined) throw new SimulationError(`${field}: ${first.message}`, { code: first.extensions?.code });
    if (answer.data === undefined || answer.data === null) throw new SimulationError(`${url} answered ${field} without data`);
    return answer.data;
  }

  return { url, request, calls };
}
