/**
 * The runview client: Apollo Client 4 (core, no React) over HTTP with Prefect's headers, a
 * time budget per call, the caller's `AbortSignal`, retries for queries, and every failure
 * mapped to a runview error class. It never caches: views are snapshots, and the number of
 * requests a call makes is exact.
 */
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, type OperationVariables, type TypedDocumentNode } from '@apollo/client';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { RunviewError } from '../errors.js';
import { AbortError, InvalidArgumentError, TimeoutError, type RequestInfo } from '../errors.js';
import { clock } from '../clock.js';
import { requireDuration } from '../timers.js';
import { capResponse, checkMaxResponseBytes } from './body-limit.js';
import { resolveConnection, type Environment } from './config.js';
import { classifyError, classifyResponse, toErrorInfos, type Failure } from './failures.js';
import { checkSchemaOnce, type SendQuery } from './schema-check.js';
import { backoffDelay, resolveRetryPolicy, NO_RETRY, type RetryOptions, type RetryPolicy } from './retry.js';

/** The default time budget of one call, retries included. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Options every call accepts. */
export interface CallOptions {
  /** Aborts the call (an {@link AbortError}). */
  readonly signal?: AbortSignal | undefined;
  /** The call's time budget in milliseconds, retries included (default: the client's `timeoutMs`). */
  readonly timeoutMs?: number | undefined;
}

/** One HTTP request the client is about to send. */
export interface RequestEvent {
  readonly url: string;
  /** The GraphQL operation name, e.g. `FlowRunById`, or null for an anonymous request. */
  readonly operationName: string | null;
}

/** What `runview` checks a live API for before the first query (see `@runview/drift`). */
export type SchemaCheckMode = 'off' | 'warn' | 'error';

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** The GraphQL endpoint. Without it the environment decides (see {@link resolveConnection}). */
  readonly url?: string | undefined;
  /** Sent as `Authorization: Bearer <apiKey>` (Prefect Cloud API keys, `@runview/server` keys). */
  readonly apiKey?: string | undefined;
  /** Sent as `X-PREFECT-TENANT-ID`. */
  readonly tenantId?: string | undefined;
  /** The `fetch` to use (default: the global one). */
  readonly fetch?: typeof fetch | undefined;
  /**
   * The default time budget of a call in milliseconds, retries included (default 30,000; at
   * most 2,147,483,647, the longest a timer can wait).
   */
  readonly timeoutMs?: number | undefined;
  /**
   * The largest response body the client reads, in bytes (default 64 MiB): a larger one fails
   * with a `ResponseTooLargeError` as soon as it passes the limit, without being held whole.
   */
  readonly maxResponseBytes?: number | undefined;
  /** How queries are retried; `false` turns retries off. Mutations are never retried. */
  readonly retry?: RetryOptions | boolean | undefined;
  /** Extra headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Check once, before the first query, that the live API still accepts every operation
   * runview sends: `'warn'` logs the problems with `console.warn`, `'error'` fails the calls
   * with a `SchemaDriftError`. Default `'off'`.
   */
  readonly checkSchema?: SchemaCheckMode | undefined;
  /** Called before every HTTP request (retries and schema checks included). */
  readonly onRequest?: ((event: RequestEvent) => void) | undefined;
  /** @internal The environment to read instead of `process.env` (tests). */
  readonly env?: Environment | undefined;
}

/**
 * The arguments after the document: the variables, which may be left out when the operation
 * has none that are required (`client.query(TypenameDocument)`), then the call's options.
 */
export type VariablesAndOptions<TVariables> = Record<string, never> extends TVariables
  ? [variables?: TVariables, options?: CallOptions]
  : [variables: TVariables, options?: CallOptions];

/** A client for the Prefect 1 GraphQL API. Create one with {@link createClient}. */
export interface RunviewClient {
  /** The endpoint this client talks to. */
  readonly url: string;
  /** How many HTTP requests this client has sent (retries and schema checks included). */
  readonly requestCount: number;
  /** Sends a query; retried on transient failures. Resolves with its typed data. */
  query<TData, TVariables extends OperationVariables>(document: TypedDocumentNode<TData, TVariables>, ...args: VariablesAndOptions<TVariables>): Promise<TData>;
  /** Sends a mutation; never retried. Resolves with its typed data. */
  mutate<TData, TVariables extends OperationVariables>(document: TypedDocumentNode<TData, TVariables>, ...args: VariablesAndOptions<TVariables>): Promise<TData>;
  /** Calls `listener` before every HTTP request; returns a function that removes it. */
  onRequest(listener: (event: RequestEvent) => void): () => void;
  /** Stops the client; calls after it fail. */
  close(): void;
}

/**
 * Apollo's cache adds `__typename` to every selection; this client never reads the cache, so
 * operations go out exactly as `@runview/documents` wrote them and results carry only what
 * their types declare.
 */
class UntransformedCache extends InMemoryCache {
  override transformDocument(document: DocumentNode): DocumentNode {
    return document;
  }
}

/** Why an attempt's own controller was aborted. */
const TIMED_OUT = Symbol('timed out');

function checkTimeout(value: number | undefined, argument: string): number | undefined {
  return value === undefined ? undefined : requireDuration(value, argument);
}

function operationName(document: DocumentNode): string | null {
  return getOperationAST(document)?.name?.value ?? null;
}

function requestOperationName(init: RequestInit | undefined): string | null {
  if (typeof init?.body !== 'string') return null;
  try {
    const body = JSON.parse(init.body) as { operationName?: unknown };
    return typeof body.operationName === 'string' ? body.operationName : null;
  } catch {
    return null;
  }
}

/** Waits `ms`, or rejects with the signal's abort. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortError('The call was aborted', { cause: signal.reason }));
      return;
    }
    const onAbort = (): void => {
      cancel();
      reject(new AbortError('The call was aborted', { cause: signal?.reason }));
    };
    const cancel = clock().sleep(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A hook run once before the first call (the schema check); it sends through `send`. */
type BeforeFirstQuery = (send: SendQuery, options: CallOptions) => Promise<void>;

class ApolloRunviewClient implements RunviewClient {
  readonly url: string;
  #requestCount = 0;
  readonly #listeners = new Set<(event: RequestEvent) => void>();
  readonly #apollo: ApolloClient;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  #closed = false;
  #beforeFirstQuery: BeforeFirstQuery | null;
  #firstQuery: Promise<void> | null = null;

  constructor(options: ClientOptions, beforeFirstQuery: BeforeFirstQuery | null) {
    const connection = resolveConnection(options, options.env);
    this.url = connection.url;
    this.#timeoutMs = checkTimeout(options.timeoutMs, 'timeoutMs') ?? DEFAULT_TIMEOUT_MS;
    const maxResponseBytes = checkMaxResponseBytes(options.maxResponseBytes);
    this.#retry = resolveRetryPolicy(options.retry);
    this.#beforeFirstQuery = beforeFirstQuery;
    if (options.onRequest) this.#listeners.add(options.onRequest);
    const baseFetch = options.fetch ?? ((input: RequestInfoLike, init?: RequestInit) => globalThis.fetch(input, init));
    const countingFetch = async (input: RequestInfoLike, init?: RequestInit): Promise<Response> => {
      this.#requestCount += 1;
      const event: RequestEvent = Object.freeze({ url: this.url, operationName: requestOperationName(init) });
      for (const listener of this.#listeners) listener(event);
      return capResponse(await baseFetch(input, init), maxResponseBytes, event);
    };
    const headers: Record<string, string> = {
      ...options.headers,
      // Plain JSON, so that any non-2xx status reaches the error mapping with its body.
      accept: 'application/json',
    };
    if (connection.apiKey) headers['authorization'] = `Bearer ${connection.apiKey}`;
    if (connection.tenantId) headers['x-prefect-tenant-id'] = connection.tenantId;
    this.#apollo = new ApolloClient({
      link: ApolloLink.from([new HttpLink({ uri: this.url, fetch: countingFetch, headers })]),
      cache: new UntransformedCache(),
      queryDeduplication: false,
      devtools: { enabled: false },
    });
  }

  get requestCount(): number {
    return this.#requestCount;
  }

  onRequest(listener: (event: RequestEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  close(): void {
    this.#closed = true;
    this.#apollo.stop();
  }

  async query<TData, TVariables extends OperationVariables>(document: TypedDocumentNode<TData, TVariables>, ...args: VariablesAndOptions<TVariables>): Promise<TData> {
    const [variables = {} as TVariables, options = {}] = args;
    await this.#runBeforeFirstQuery(options);
    return this.#execute('query', document, variables, options, this.#retry);
  }

  async mutate<TData, TVariables extends OperationVariables>(document: TypedDocumentNode<TData, TVariables>, ...args: VariablesAndOptions<TVariables>): Promise<TData> {
    const [variables = {} as TVariables, options = {}] = args;
    await this.#runBeforeFirstQuery(options);
    return this.#execute('mutation', document, variables, options, NO_RETRY);
  }

  /** Runs the first-query hook once; a failed check is retried by the next call. */
  async #runBeforeFirstQuery(options: CallOptions): Promise<void> {
    const hook = this.#beforeFirstQuery;
    if (!hook) return;
    const send: SendQuery = (document, call) => this.#execute('query', document, {}, call, this.#retry);
    this.#firstQuery ??= hook(send, options).then(
      () => {
        this.#beforeFirstQuery = null;
      },
      (error: unknown) => {
        this.#firstQuery = null;
        throw error;
      },
    );
    await this.#firstQuery;
  }

  async #execute<TData, TVariables extends OperationVariables>(
    kind: 'query' | 'mutation',
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    options: CallOptions,
    policy: RetryPolicy,
  ): Promise<TData> {
    if (this.#closed) throw new InvalidArgumentError('client', 'This client has been closed');
    const timeoutMs = checkTimeout(options.timeoutMs, 'timeoutMs') ?? this.#timeoutMs;
    const signal = options.signal;
    const request = { url: this.url, operationName: operationName(document) };
    const deadline = clock().now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new AbortError(`${request.operationName ?? 'The call'} was aborted`, { cause: signal.reason });
      const remaining = deadline - clock().now();
      if (remaining <= 0) throw this.#timeout(request, timeoutMs, null);
      const failure = await this.#attempt(kind, document, variables, signal, remaining, request, timeoutMs);
      if (!('error' in failure)) return failure.data;
      const retries = policy.maxRetries;
      if (!failure.retryable || attempt >= retries) throw failure.error;
      if (failure.retryAfterMs !== null && failure.retryAfterMs > policy.maxRetryAfterMs) throw failure.error;
      const delay = Math.max(failure.retryAfterMs ?? 0, backoffDelay(policy, attempt));
      // Waiting past the budget would only end in a timeout; the server's answer says more.
      if (clock().now() + delay >= deadline) throw failure.error;
      await sleep(delay, signal);
    }
  }

  async #attempt<TData, TVariables extends OperationVariables>(
    kind: 'query' | 'mutation',
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    signal: AbortSignal | undefined,
    remaining: number,
    request: Omit<RequestInfo, 'status'>,
    timeoutMs: number,
  ): Promise<{ data: TData } | Failure> {
    const controller = new AbortController();
    const cancelTimer = clock().after(remaining, () => {
      controller.abort(TIMED_OUT);
    });
    const onAbort = (): void => {
      controller.abort(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const context = { fetchOptions: { signal: controller.signal } };
    let outcome: { data: TData } | Failure;
    try {
      const result =
        kind === 'query'
          ? await this.#apollo.query({
              query: document,
              variables,
              context,
              fetchPolicy: 'no-cache',
              errorPolicy: 'all',
            } as ApolloClient.QueryOptions<TData, TVariables>)
          : await this.#apollo.mutate({
              mutation: document,
              variables,
              context,
              fetchPolicy: 'no-cache',
              errorPolicy: 'all',
            } as ApolloClient.MutateOptions<TData, TVariables>);
      outcome = result.error ? classifyError(request, result.error) : this.#success(request, result.data);
    } catch (error) {
      outcome = classifyError(request, error);
    } finally {
      cancelTimer();
      signal?.removeEventListener('abort', onAbort);
    }
    if (controller.signal.aborted) {
      if (controller.signal.reason === TIMED_OUT) throw this.#timeout(request, timeoutMs, 'error' in outcome ? outcome.error : null);
      throw new AbortError(`${request.operationName ?? 'The call'} was aborted`, { cause: signal?.reason });
    }
    return outcome;
  }

  #success<TData>(request: Omit<RequestInfo, 'status'>, data: TData | undefined | null): { data: TData } | Failure {
    if (data === undefined || data === null) {
      const failure = classifyResponse({ ...request, status: null }, null, toErrorInfos([{ message: 'The response has no data' }]), null, null);
      if (failure) return failure;
    }
    return { data: data as TData };
  }

  #timeout(request: Omit<RequestInfo, 'status'>, timeoutMs: number, cause: RunviewError | null): TimeoutError {
    return new TimeoutError(`${request.operationName ?? 'The call'} to ${request.url} took longer than ${timeoutMs} ms`, {
      timeoutMs,
      ...(cause ? { cause } : {}),
    });
  }
}

type RequestInfoLike = Parameters<typeof fetch>[0];

/**
 * Creates a client for the Prefect 1 GraphQL API (Prefect Server, Prefect Cloud 1.0 or
 * `@runview/server`).
 *
 * ```ts
 * const client = createClient({ url: 'http://127.0.0.1:4200/graphql' });
 * const flowRun = await FlowRunView.fromFlowRunId(id, { client });
 * ```
 *
 * @throws {@link InvalidArgumentError} for a URL that is not http(s) or a bad option.
 */
export function createClient(options: ClientOptions = {}): RunviewClient {
  const mode: unknown = options.checkSchema ?? 'off';
  if (!['off', 'warn', 'error'].includes(mode as string)) {
    throw new InvalidArgumentError('checkSchema', `checkSchema must be 'off', 'warn' or 'error', got ${JSON.stringify(mode)}`);
  }
  const client: ApolloRunviewClient = new ApolloRunviewClient(
    options,
    mode === 'off' ? null : (send, call) => checkSchemaOnce(client.url, mode as 'warn' | 'error', send, call),
  );
  return client;
}
