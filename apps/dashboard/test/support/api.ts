// A stand-in for the GraphQL API that the component and hook tests talk to. Each test answers
// the operations it expects with data typed by the generated operation types, so a fixture
// stops compiling when the API changes. Answers are executed against the real schema.graphql:
// a fixture that does not fit the schema (a missing non-null field, a wrong shape) fails the
// request, and Apollo gets the `__typename`s a real server sends, so its cache normalises
// exactly as in production.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ApolloLink, type OperationVariables, type TypedDocumentNode } from '@apollo/client';
import { AbortError, GraphQLResponseError, type CallOptions, type RequestEvent, type RunviewClient } from '@runview/core';
import {
  buildSchema,
  execute,
  GraphQLSchema,
  getOperationAST,
  GraphQLError,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFieldResolver,
} from 'graphql';
import { Observable } from 'rxjs';

const schemaPath = createRequire(import.meta.url).resolve('@runview/documents/schema.graphql');
// Without the subscription root, as Prefect Server's gateway: core's watch polls, on the
// test's clock, instead of opening a WebSocket.
const schema = new GraphQLSchema({ ...buildSchema(readFileSync(schemaPath, 'utf8')).toConfig(), subscription: null });

/** What a fixture answers: the data, a GraphQL error (the API rejected the question) or a failure to reach it. */
export type Answer<TData> = TData | GraphQLError | Error;

export type Handler<TData, TVariables> = (variables: TVariables) => Answer<TData> | Promise<Answer<TData>>;

/** One request the API received. */
export interface Received {
  readonly operationName: string;
  readonly variables: Record<string, unknown>;
}

/** Fixtures are keyed by response key, so aliased fields (the per-state counts) read as sent. */
const byResponseKey: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) =>
  source !== null && typeof source === 'object' ? (source as Record<string, unknown>)[info.path.key as string] : undefined;

function operationName(document: DocumentNode): string {
  const name = getOperationAST(document)?.name?.value;
  if (name === undefined) throw new TypeError('A fixture needs a named operation');
  return name;
}

/** Rejects with core's AbortError when the signal fires first, as core's client does. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(new AbortError('The call was aborted', { cause: signal.reason }));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(new AbortError('The call was aborted', { cause: signal.reason }));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new TypeError(String(error)));
      },
    );
  });
}

export class FakeApi {
  readonly url = 'http://api.test/graphql';
  /** Every request, in order. */
  readonly received: Received[] = [];
  /** Operations a test sent without a fixture: checked after each test. */
  readonly unanswered: string[] = [];
  readonly #handlers = new Map<string, Handler<unknown, Record<string, unknown>>>();

  /** Answers `document` with `answer`, or with what `answer` returns for the request's variables. */
  on<TData, TVariables extends OperationVariables>(document: TypedDocumentNode<TData, TVariables>, answer: Answer<TData> | Handler<TData, TVariables>): this {
    const handler = typeof answer === 'function' ? (answer as Handler<unknown, Record<string, unknown>>) : () => answer;
    this.#handlers.set(operationName(document), handler);
    return this;
  }

  /** The variables of every request of `document` so far. */
  variablesOf<TData, TVariables extends OperationVariables>(document: TypedDocumentNode<TData, TVariables>): TVariables[] {
    const name = operationName(document);
    return this.received.filter((request) => request.operationName === name).map((request) => request.variables as TVariables);
  }

  /** Runs one request: the fixture's data through the schema, as a server would return it. */
  async execute(document: DocumentNode, variables: Record<string, unknown>): Promise<ExecutionResult> {
    const name = operationName(document);
    this.received.push({ operationName: name, variables });
    const handler = this.#handlers.get(name);
    if (handler === undefined) {
      this.unanswered.push(name);
      throw new TypeError(`No fixture answers ${name}`);
    }
    const answer = await handler(variables);
    if (answer instanceof GraphQLError) return { errors: [answer] };
    if (answer instanceof Error) throw answer;
    const result = await execute({ schema, document, rootValue: answer, variableValues: variables, fieldResolver: byResponseKey });
    if (result.errors !== undefined)
      throw new TypeError(`The fixture for ${name} does not fit the schema: ${result.errors.map((error) => error.message).join('; ')}`);
    return result;
  }

  /** The link an ApolloClient sends through. */
  link(): ApolloLink {
    return new ApolloLink(
      (operation) =>
        new Observable<ApolloLink.Result>((observer) => {
          let closed = false;
          this.execute(operation.query, operation.variables).then(
            (result) => {
              if (closed) return;
              observer.next(result as ApolloLink.Result);
              observer.complete();
            },
            (error: unknown) => {
              if (!closed) observer.error(error);
            },
          );
          return () => {
            closed = true;
          };
        }),
    );
  }

  /** Core's client for the log stream and the run watch, answered by the same fixtures. */
  client(): RunviewClient {
    const listeners = new Set<(event: RequestEvent) => void>();
    let requestCount = 0;
    const send = async <TData>(document: DocumentNode, variables: Record<string, unknown> | undefined, options: CallOptions | undefined): Promise<TData> => {
      requestCount += 1;
      for (const listener of listeners) listener({ url: this.url, operationName: operationName(document) });
      const result = await abortable(this.execute(document, variables ?? {}), options?.signal);
      if (result.errors !== undefined) {
        const request = { url: this.url, operationName: operationName(document), status: 200 };
        throw new GraphQLResponseError(result.errors.map((error) => error.message).join('; '), { request, data: null });
      }
      return result.data as TData;
    };
    return {
      url: this.url,
      get requestCount() {
        return requestCount;
      },
      query: (document, ...args) => send(document, args[0] as Record<string, unknown> | undefined, args[1]),
      mutate: (document, ...args) => send(document, args[0] as Record<string, unknown> | undefined, args[1]),
      onRequest: (listener) => {
        listeners.add(listener);
        return () => {
          listeners.delete(listener);
        };
      },
      close: () => undefined,
    };
  }
}
