/**
 * A request's GraphQL parameters as Prefect Server's front (Apollo Server 2) reads them:
 *
 * - a JSON object is one operation, a JSON array a batch answered with an array;
 * - `variables` may be a JSON-encoded string (Prefect Core always sends one, `"null"` when it
 *   has none), parsed here; `extensions` likewise;
 * - unknown members are ignored, an empty `operationName` means none;
 * - GET carries one operation in the query string.
 *
 * What cannot be read is a typed error with its HTTP status, never an echo of the body.
 */
import { GraphQLError } from 'graphql';

/** One operation's parameters, as yoga executes them. */
export interface OperationParams {
  readonly query?: string;
  readonly variables?: Record<string, unknown>;
  readonly operationName?: string;
  readonly extensions?: Record<string, unknown>;
}

/** `BAD_REQUEST`: the HTTP request itself is malformed; `BAD_USER_INPUT`: a parameter's value is. */
export type RequestErrorCode = 'BAD_REQUEST' | 'BAD_USER_INPUT' | 'BATCH_TOO_LARGE' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'METHOD_NOT_ALLOWED';

/** A request refused before any operation ran, answered with `status`. */
export function requestError(
  message: string,
  status: number,
  code: RequestErrorCode,
  extra: { headers?: Record<string, string>; figures?: Record<string, number> } = {},
): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code, ...extra.figures, http: { status, ...(extra.headers === undefined ? {} : { headers: extra.headers }) } },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * A parameter that may come as a JSON object or as its JSON text (`variables`, `extensions`).
 * `null`, `"null"` and `""` mean none.
 */
function objectParam(value: unknown, name: 'variables' | 'extensions', where: string): Record<string, unknown> | undefined {
  let parsed = value;
  if (typeof value === 'string') {
    if (value.trim() === '') return undefined;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw requestError(`${where}${name === 'variables' ? 'Variables' : 'Extensions'} are invalid JSON.`, 400, 'BAD_USER_INPUT');
    }
  }
  if (parsed === null || parsed === undefined) return undefined;
  if (!isRecord(parsed)) throw requestError(`${where}"${name}" must be a JSON object or null, got ${kindOf(parsed)}.`, 400, 'BAD_USER_INPUT');
  return parsed;
}

/** One operation's parameters from a JSON value (a body, or one member of a batch). */
export function operationParams(value: unknown, where = ''): OperationParams {
  if (!isRecord(value)) throw requestError(`${where}An operation must be a JSON object, got ${kindOf(value)}.`, 400, 'BAD_REQUEST');
  const { query, operationName } = value;
  if (query !== undefined && query !== null && typeof query !== 'string') throw requestError(`${where}GraphQL queries must be strings.`, 400, 'BAD_REQUEST');
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    throw requestError(`${where}"operationName" must be a string, got ${kindOf(operationName)}.`, 400, 'BAD_REQUEST');
  }
  const variables = objectParam(value['variables'], 'variables', where);
  const extensions = objectParam(value['extensions'], 'extensions', where);
  return {
    ...(typeof query === 'string' ? { query } : {}),
    ...(typeof operationName === 'string' && operationName !== '' ? { operationName } : {}),
    ...(variables === undefined ? {} : { variables }),
    ...(extensions === undefined ? {} : { extensions }),
  };
}

/**
 * A parsed POST body: an object is one operation, an array a batch of at most `maxBatch`.
 * A malformed member refuses the whole batch, as Apollo 2 reads every member before running any.
 */
export function bodyParams(body: unknown, maxBatch: number): OperationParams | OperationParams[] {
  if (!Array.isArray(body)) return operationParams(body);
  if (body.length === 0) throw requestError('The batch is empty: send at least one operation.', 400, 'BAD_REQUEST');
  if (body.length > maxBatch) {
    throw requestError(`A batch may hold at most ${maxBatch} operations; this one has ${body.length}.`, 413, 'BATCH_TOO_LARGE', {
      figures: { limit: maxBatch, size: body.length },
    });
  }
  return body.map((member, index) => operationParams(member, `Operation ${index + 1} of the batch: `));
}

/** The JSON of a POST body, or a short error that never repeats the body. */
export function parseJsonBody(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw requestError('POST body is not valid UTF-8.', 400, 'BAD_REQUEST');
  }
  if (text.trim() === '') throw requestError('POST body missing: send a JSON object with a "query".', 400, 'BAD_REQUEST');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw requestError('POST body sent invalid JSON.', 400, 'BAD_REQUEST');
  }
}

/** A GET request's one operation, from its query string. */
export function searchParams(url: URL): OperationParams {
  const search = url.searchParams;
  if (!search.has('query') && !search.has('extensions')) throw requestError('GET query missing.', 400, 'BAD_REQUEST');
  return operationParams({
    query: search.get('query') ?? undefined,
    variables: search.get('variables') ?? undefined,
    operationName: search.get('operationName') ?? undefined,
    extensions: search.get('extensions') ?? undefined,
  });
}
