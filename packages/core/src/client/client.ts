/**
 * The runview client: GraphQL over `fetch` with Prefect's headers, a time budget per call, the
 * caller's `AbortSignal`, retries for queries, and every failure mapped to a runview error
 * class. It never caches: views are snapshots, and the number of requests a call makes is
 * exact. The same settings (URL, key, tenant, headers) give the live connection a watcher
 * opens (`../live`).
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { RunviewError } from '../errors.js';
import { AbortError, InvalidArgumentError, TimeoutError, type RequestInfo } from '../errors.js';
import { clock, sleep } from '../clock.js';
import { requireDuration } from '../timers.js';
import type { CallOptions, OperationVariables, RequestEvent, SendQuery } from './call.js';
import { checkMaxResponseBytes } from './body-limit.js';
import { resolveConnection, type Environment } from './config.js';
import { wireOperation } from './document.js';
import type { Failure } from './failures.js';
import { sendOnce } from './http.js';
import { backoffDelay, resolveRetryPolicy, NO_RETRY, type RetryOptions, type RetryPolicy } from './retry.js';

export type { CallOptions, OperationVariables, RequestEvent } from './call.js';
/** The default time budget of one call, retries included. */
export const DEFAULT_TIMEOUT_MS = 30_000;

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
export type VariablesAndOptions<TVariables> =
  Record<string, never> extends TVariables ? [variables?: TVariables, options?: CallOptions] : [variables: TVariables, options?: CallOptions];

/** A client for the Prefect 1 GraphQL API. Create one with {@link createClient}. */
export interface RunviewClient {
  /** The endpoint this client talks to. */
  readonly url: string;
  /** How many HTTP requests this client has sent (retries and schema checks included). */
  readonly requestCount: number;
  /** Sends a query; retried on transient failures. Resolves with its typed data. */
  query<TData, TVariables extends OperationVariables>(document: TypedDocumentNode<TData, TVariables>, ...args: VariablesAndOptions<TVariables>): Promise<TData>;
  /** Sends a mutation; never retried. Resolves with its typed data. */
  mutate<TData, TVariables extends OperationVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    ...args: VariablesAndOptions<TVariables>
  ): Promise<TData>;
  /**
   * Where a watcher subscribes for live updates, with the same credentials as the requests
   * (`watchFlowRun` uses it; a `live` option of the watch may override parts). Optional for
   * clients of the caller's own making: without it a watch subscribes at the client's URL as
   * `ws:`/`wss:`, with only what its `live` option gives.
   */
  liveEndpoint?(): LiveEndpoint;
  /** Calls `listener` before every HTTP request; returns a function that removes it. */
  onRequest(listener: (event: RequestEvent) => void): () => void;
  /** Stops the client; calls after it fail. */
  close(): void;
}

/** Why an attempt's own controller was aborted. */
const TIMED_OUT = Symbol('timed out');

function checkTimeout(value: number | undefined, argument: string): number | undefined {
  return value === undefined ? undefined : requireDuration(value, argument);
}

/** A hook run once before the first call (the schema check); it sends through `send`. */
type BeforeFirstQuery = (send: SendQuery, options: CallOptions) => Promise<void>;

/** The live endpoint of a client: where a watcher subscribes, and what `connection_init` carries. */
export interface LiveEndpoint {
  /** The client's URL with `ws:`/`wss:`. */
  readonly url: string;
  /** The client's headers, API key (`Authorization`) and tenant (`X-PREFECT-TENANT-ID`) included. */
  readonly headers: Readonly<Record<string, string>>;
}

/** `http://host/graphql` to `ws://host/graphql` (and https to wss). */
export function liveUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  return url.toString();
}

/**
 * The caller's headers with Prefect's credentials over them: `Authorization: Bearer <key>` and
 * `X-PREFECT-TENANT-ID` (a caller's own copy of either, in any case, gives way).
 */
function prefectHeaders(extra: Readonly<Record<string, string>> | undefined, apiKey: string | null, tenantId: string | null): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const replaced = new Set([...(apiKey ? ['authorization'] : []), ...(tenantId ? ['x-prefect-tenant-id'] : [])]);
  for (const [name, value] of Object.entries(extra ?? {})) if (!replaced.has(name.toLowerCase())) headers[name] = value;
  if (apiKey) headers['Authorization'] = `Bearer ${apiKey}`;
  if (tenantId) headers['X-PREFECT-TENANT-ID'] = tenantId;
  return Object.freeze(headers);
}

class FetchRunviewClient implements RunviewClient {
  readonly url: string;
  #requestCount = 0;
  readonly #listeners = new Set<(event: RequestEvent) => void>();
  readonly #fetch: typeof fetch;
  /** Prefect's headers: the caller's, then the key and tenant (which win over a caller's copy). */
  readonly #credentials: Readonly<Record<string, string>>;
  readonly #maxResponseBytes: number;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  #closed = false;
  #beforeFirstQuery: BeforeFirstQuery | null;
  #firstQuery: Promise<void> | null = null;

  constructor(options: ClientOptions, beforeFirstQuery: BeforeFirstQuery | null) {
    const connection = resolveConnection(options, options.env);
    this.url = connection.url;
    this.#timeoutMs = checkTimeout(options.timeoutMs, 'timeoutMs') ?? DEFAULT_TIMEOUT_MS;
    this.#maxResponseBytes = checkMaxResponseBytes(options.maxResponseBytes);
    this.#retry = resolveRetryPolicy(options.retry);
    this.#beforeFirstQuery = beforeFirstQuery;
    if (options.onRequest) this.#listeners.add(options.onRequest);
    const custom = options.fetch;
    // Read at each call, so that a fetch installed after the client was made is used.
    this.#fetch = custom ?? ((input, init) => globalThis.fetch(input, init));
    this.#credentials = prefectHeaders(options.headers, connection.apiKey, connection.tenantId);
  }

  get requestCount(): number {
    return this.#requestCount;
  }

  liveEndpoint(): LiveEndpoint {
    return Object.freeze({ url: liveUrl(this.url), headers: this.#credentials });
  }

  onRequest(listener: (event: RequestEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  close(): void {
    this.#closed = true;
  }

  async query<TData, TVariables extends OperationVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    ...args: VariablesAndOptions<TVariables>
  ): Promise<TData> {
    const [variables = {} as TVariables, options = {}] = args;
    await this.#runBeforeFirstQuery(options);
    return this.#execute(document, variables, options, this.#retry);
  }

  async mutate<TData, TVariables extends OperationVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    ...args: VariablesAndOptions<TVariables>
  ): Promise<TData> {
    const [variables = {} as TVariables, options = {}] = args;
    await this.#runBeforeFirstQuery(options);
    return this.#execute(document, variables, options, NO_RETRY);
  }

  /** Runs the first-query hook once; a failed check is retried by the next call. */
  async #runBeforeFirstQuery(options: CallOptions): Promise<void> {
    const hook = this.#beforeFirstQuery;
    if (!hook) return;
    const send: SendQuery = (document, call) => this.#execute(document, {}, call, this.#retry);
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
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    options: CallOptions,
    policy: RetryPolicy,
  ): Promise<TData> {
    if (this.#closed) throw new InvalidArgumentError('client', 'This client has been closed');
    const timeoutMs = checkTimeout(options.timeoutMs, 'timeoutMs') ?? this.#timeoutMs;
    const signal = options.signal;
    const { query, operationName } = wireOperation(document);
    const request = Object.freeze({ url: this.url, operationName });
    // Plain JSON, so that any non-2xx status reaches the error mapping with its body.
    const headers = { ...this.#credentials, 'content-type': 'application/json', accept: 'application/json' };
    const body = JSON.stringify({ operationName, variables, query });
    const deadline = clock().now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new AbortError(`${request.operationName ?? 'The call'} was aborted`, { cause: signal.reason });
      const remaining = deadline - clock().now();
      if (remaining <= 0) throw this.#timeout(request, timeoutMs, null);
      const failure = await this.#attempt(request, headers, body, signal, remaining, timeoutMs);
      if (!('error' in failure)) return failure.data as TData;
      const retries = policy.maxRetries;
      if (!failure.retryable || attempt >= retries) throw failure.error;
      if (failure.retryAfterMs !== null && failure.retryAfterMs > policy.maxRetryAfterMs) throw failure.error;
      const delay = Math.max(failure.retryAfterMs ?? 0, backoffDelay(policy, attempt));
      // Waiting past the budget would only end in a timeout; the server's answer says more.
      if (clock().now() + delay >= deadline) throw failure.error;
      await sleep(delay, signal);
    }
  }

  async #attempt(
    request: Omit<RequestInfo, 'status'>,
    headers: Readonly<Record<string, string>>,
    body: string,
    signal: AbortSignal | undefined,
    remaining: number,
    timeoutMs: number,
  ): Promise<{ data: unknown } | Failure> {
    const controller = new AbortController();
    const cancelTimer = clock().after(remaining, () => {
      controller.abort(TIMED_OUT);
    });
    const onAbort = (): void => {
      controller.abort(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    this.#requestCount += 1;
    let outcome: { data: unknown } | Failure;
    try {
      const event: RequestEvent = Object.freeze({ url: this.url, operationName: request.operationName });
      for (const listener of this.#listeners) listener(event);
      outcome = await sendOnce({ fetch: this.#fetch, request, headers, body, maxResponseBytes: this.#maxResponseBytes, signal: controller.signal });
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

  #timeout(request: Omit<RequestInfo, 'status'>, timeoutMs: number, cause: RunviewError | null): TimeoutError {
    return new TimeoutError(`${request.operationName ?? 'The call'} to ${request.url} took longer than ${timeoutMs} ms`, {
      timeoutMs,
      ...(cause ? { cause } : {}),
    });
  }
}

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
  const client: FetchRunviewClient = new FetchRunviewClient(
    options,
    // Loaded only by the clients that ask for the check: the others never fetch graphql's
    // parser or @runview/drift.
    mode === 'off' ? null : async (send, call) => (await import('./schema-check.js')).checkSchemaOnce(client.url, mode as 'warn' | 'error', send, call),
  );
  return client;
}
