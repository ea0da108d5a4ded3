/**
 * Sending requests to a server in process, the way a client does over HTTP: typed documents
 * from @runview/documents printed into a JSON body, or raw bodies for malformed input.
 */
import { print, type DocumentNode } from 'graphql';
import type { RunviewServer } from '../../src/index.js';

export const ENDPOINT = 'http://runview.test/graphql';

/** A generated document: a DocumentNode carrying its result and variable types. */
export interface TypedDocument<R, V> extends DocumentNode {
  readonly __apiType?: (variables: V) => R;
}

export interface GraphQLErrorBody {
  readonly message: string;
  readonly extensions?: { readonly code?: string } & Record<string, unknown>;
  readonly path?: readonly (string | number)[];
}

export interface Answer<R> {
  readonly status: number;
  readonly data?: R | null;
  readonly errors?: readonly GraphQLErrorBody[];
  /** The raw response body, for assertions on what must never appear in it. */
  readonly text: string;
}

export type Headers = Readonly<Record<string, string>>;

/** POSTs a raw body to `/graphql`. */
export async function postRaw(server: RunviewServer, body: BodyInit, headers: Headers = {}): Promise<Answer<unknown>> {
  const response = await server.fetch(new Request(ENDPOINT, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }));
  const text = await response.text();
  let parsed: { data?: unknown; errors?: GraphQLErrorBody[] } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // Not JSON: the assertions on `text` and `status` tell.
  }
  return { status: response.status, text, ...parsed };
}

/** Sends a typed document with its variables. */
export async function send<R, V>(server: RunviewServer, document: TypedDocument<R, V>, variables?: V, headers: Headers = {}): Promise<Answer<R>> {
  return (await postRaw(server, JSON.stringify({ query: print(document), variables }), headers)) as Answer<R>;
}

/** Sends a document and returns its data, failing with the server's errors if there are any. */
export async function query<R, V>(server: RunviewServer, document: TypedDocument<R, V>, variables?: V, headers: Headers = {}): Promise<R> {
  const answer = await send(server, document, variables, headers);
  if (answer.errors !== undefined || answer.data === undefined || answer.data === null) {
    throw new Error(`GraphQL request failed (${answer.status}): ${answer.text}`);
  }
  return answer.data;
}

export function bearer(key: string): Headers {
  return { authorization: `Bearer ${key}` };
}
