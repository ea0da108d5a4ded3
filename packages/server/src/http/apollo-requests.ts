/**
 * Reads GraphQL requests as Prefect Server's Apollo 2 front does (see `request-params.ts`), in
 * place of yoga's parsers, with two refusals that make cross-site requests harmless:
 *
 * - POST must be `Content-Type: application/json`. A browser sends a cross-site POST without
 *   asking first only for "simple" types (form-encoded, multipart, text/plain), so none of
 *   those ever reaches an operation.
 * - GET runs queries only (HTTP 405 for a mutation or subscription, as Apollo 2): a page may
 *   make a browser send a GET anywhere, but a query changes nothing, and the answer is not
 *   readable from another origin unless CORS allows it.
 */
import { getOperationAST, OperationTypeNode, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { readBody } from './body-limit.js';
import { bodyParams, parseJsonBody, requestError, searchParams } from './request-params.js';

export interface ApolloRequestOptions {
  readonly maxBodyBytes: number;
  readonly maxBatch: number;
}

function isJson(request: Request): boolean {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json';
}

/** Throws HTTP 405 for an operation other than a query sent with GET. */
function assertQueryOverGet(method: string, document: DocumentNode, operationName: string | undefined): void {
  if (method !== 'GET') return;
  const operation = getOperationAST(document, operationName);
  if (operation && operation.operation !== OperationTypeNode.QUERY) {
    throw requestError('GET supports only query operation', 405, 'METHOD_NOT_ALLOWED', { headers: { Allow: 'POST' } });
  }
}

export function useApolloRequests(options: ApolloRequestOptions): Plugin {
  return {
    onRequestParse({ request, url, setRequestParser }) {
      if (request.method === 'GET') {
        setRequestParser(() => searchParams(url));
        return;
      }
      if (request.method !== 'POST') return;
      if (!isJson(request)) {
        setRequestParser(() => {
          throw requestError('GraphQL requests must be sent with Content-Type: application/json.', 415, 'UNSUPPORTED_MEDIA_TYPE');
        });
        return;
      }
      setRequestParser(async (jsonRequest) => bodyParams(parseJsonBody(await readBody(jsonRequest, options.maxBodyBytes)), options.maxBatch));
    },
    onParse({ context }) {
      const { request, params } = context as { request?: Request; params?: { operationName?: string } };
      return ({ result }: { result: unknown }) => {
        // Only HTTP requests: a WebSocket operation has no `request`; a parse failure is reported as is.
        if (request === undefined || result instanceof Error) return;
        assertQueryOverGet(request.method, result as DocumentNode, params?.operationName);
      };
    },
  };
}
