import { buildClientSchema, buildSchema, getIntrospectionQuery, validateSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import { DriftCheckError, describeFailure } from './errors.js';

/** Where the schema to check comes from: exactly one of `endpoint`, `schema` or `introspection`. */
export interface SchemaSource {
  /** A GraphQL endpoint to introspect, e.g. http://localhost:4200/graphql or https://api.prefect.io. */
  readonly endpoint?: string;
  /** The target schema as SDL text (a `schema pull` snapshot, a Prefect release's schema). */
  readonly schema?: string;
  /** An introspection result: `{ __schema }`, `{ data: { __schema } }`, or that as JSON text. */
  readonly introspection?: unknown;
  /** Extra request headers for `endpoint`, e.g. `{ Authorization: 'Bearer <API key>' }`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The fetch to use for `endpoint`; defaults to the global one. */
  readonly fetch?: typeof fetch;
  /** Aborts the introspection request. */
  readonly signal?: AbortSignal;
  /** Gives up on an endpoint that has not answered after this many milliseconds; 30 000 by default. */
  readonly timeoutMs?: number;
  /** How reports name the target (a file name for `schema`); defaults to the endpoint, `SDL` or `introspection JSON`. */
  readonly label?: string;
}

const defaultTimeoutMs = 30_000;

/** A short human description of the source, for reports ("http://…/graphql", "SDL", "introspection JSON"). */
export function describeSource(source: SchemaSource): string {
  if (source.label !== undefined) return source.label;
  if (source.endpoint !== undefined) return source.endpoint;
  return source.schema !== undefined ? 'SDL' : 'introspection JSON';
}

/** Loads and validates the target schema; every failure is a {@link DriftCheckError}. */
export async function loadSchema(source: SchemaSource): Promise<GraphQLSchema> {
  const given = [source.endpoint, source.schema, source.introspection].filter((value) => value !== undefined);
  if (given.length !== 1) {
    throw new DriftCheckError('INVALID_OPTIONS', 'Give exactly one of `endpoint`, `schema` (SDL) or `introspection` (JSON).');
  }
  if (source.schema !== undefined) return schemaFromSdl(source.schema);
  if (source.introspection !== undefined) return schemaFromIntrospection(source.introspection);
  const endpoint = source.endpoint ?? '';
  return schemaFromIntrospection(await fetchIntrospection(endpoint, source), `The introspection result of ${endpoint}`);
}

/** Builds a schema from SDL, rejecting SDL that does not parse or describes an invalid schema. */
export function schemaFromSdl(sdl: string): GraphQLSchema {
  let schema: GraphQLSchema;
  try {
    schema = buildSchema(sdl);
  } catch (error) {
    throw new DriftCheckError('BAD_SDL', `The schema SDL is not valid GraphQL: ${describeFailure(error)}`, { cause: error });
  }
  return assertValid(schema, 'BAD_SDL', 'The schema SDL does not describe a valid schema');
}

/** Builds a schema from an introspection result (object or JSON text, with or without the `data` envelope). */
export function schemaFromIntrospection(introspection: unknown, origin = 'The introspection result'): GraphQLSchema {
  let value = introspection;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch (error) {
      throw new DriftCheckError('BAD_INTROSPECTION', `${origin} is not JSON: ${describeFailure(error)}`, { cause: error });
    }
  }
  const data = isRecord(value) && isRecord(value['data']) ? value['data'] : value;
  if (!isRecord(data) || !isRecord(data['__schema'])) {
    throw new DriftCheckError('BAD_INTROSPECTION', `${origin} has no \`__schema\`: it is not an introspection result.`);
  }
  let schema: GraphQLSchema;
  try {
    schema = buildClientSchema(data as unknown as IntrospectionQuery);
  } catch (error) {
    throw new DriftCheckError('BAD_INTROSPECTION', `${origin} does not describe a schema: ${describeFailure(error)}`, { cause: error });
  }
  return assertValid(schema, 'BAD_INTROSPECTION', `${origin} describes an invalid schema`);
}

/** Rejects a schema object graphql-js would refuse to validate operations against. */
export function assertValid(
  schema: GraphQLSchema,
  code: 'BAD_SDL' | 'BAD_INTROSPECTION' | 'INVALID_SCHEMA' = 'INVALID_SCHEMA',
  what = 'The schema is invalid',
): GraphQLSchema {
  const errors = validateSchema(schema);
  const first = errors[0];
  if (first) throw new DriftCheckError(code, `${what}: ${errors.map((error) => error.message).join('; ')}`, { cause: first });
  return schema;
}

/** POSTs graphql-js's standard introspection query to `endpoint` and returns the raw JSON body. */
export async function fetchIntrospection(endpoint: string, options: Pick<SchemaSource, 'headers' | 'fetch' | 'signal' | 'timeoutMs'> = {}): Promise<unknown> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const failed = (error: unknown, when: string): DriftCheckError => {
    const reason = timeout.aborted ? `no answer within ${timeoutMs} ms` : describeFailure(error);
    return new DriftCheckError('UNREACHABLE', `${when} ${endpoint}: ${reason}`, { cause: error });
  };
  const send = () =>
    doFetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
      body: JSON.stringify({ query: getIntrospectionQuery(), operationName: 'IntrospectionQuery' }),
      signal,
    });
  let response: Response;
  let text: string;
  try {
    try {
      response = await send();
    } catch (error) {
      // A kept-alive connection the server closed as it was reused: introspection is
      // idempotent, so one new connection is tried before the server counts as unreachable.
      if (signal.aborted || !isConnectionReset(error)) throw error;
      response = await send();
    }
  } catch (error) {
    throw failed(error, 'Could not reach');
  }
  try {
    text = await response.text();
  } catch (error) {
    throw failed(error, 'The answer broke off from');
  }
  // Apollo Server (Prefect Server 1.x) answers 400 to a query it rejects, introspection
  // included; any other failure status says nothing about GraphQL.
  if (!response.ok && response.status !== 400) {
    throw new DriftCheckError('HTTP_STATUS', `${endpoint} answered HTTP ${response.status}${excerpt(text)}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch (error) {
    if (!response.ok) throw new DriftCheckError('HTTP_STATUS', `${endpoint} answered HTTP ${response.status}${excerpt(text)}`, { cause: error });
    throw new DriftCheckError('BAD_RESPONSE', `${endpoint} did not answer with JSON${excerpt(text)}`, { cause: error });
  }
  const errors = isRecord(body) && Array.isArray(body['errors']) ? (body['errors'] as unknown[]) : [];
  const hasSchema = isRecord(body) && isRecord(body['data']) && isRecord(body['data']['__schema']);
  if (!hasSchema && (errors.length > 0 || !response.ok)) {
    const messages = errors.map((error) => (isRecord(error) && typeof error['message'] === 'string' ? error['message'] : JSON.stringify(error)));
    const reason = messages.length > 0 ? messages.join('; ') : `HTTP ${response.status}${excerpt(text)}`;
    throw new DriftCheckError('INTROSPECTION_FAILED', `${endpoint} refused introspection: ${reason}`);
  }
  return body;
}

/** Whether `error` (or what caused it) is a connection closed under a request, before any answer. */
function isConnectionReset(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; isRecord(current) || current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return true;
    if (depth >= 5) break;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (!line) return '.';
  return `: ${line.length > 160 ? `${line.slice(0, 160)}…` : line}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
