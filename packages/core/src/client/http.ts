/**
 * One HTTP attempt of a GraphQL operation over `fetch`: the POST with the connection's headers,
 * the body read under the size cap, and the answer classified. Deadlines, aborts and retries
 * belong to the caller; this only sends once and says what came back.
 */
import type { RequestInfo } from '../errors.js';
import { capResponse } from './body-limit.js';
import { classifyBody, classifyThrown, type Failure } from './failures.js';

/** What an attempt sends. */
export interface HttpAttempt {
  readonly fetch: typeof fetch;
  readonly request: Omit<RequestInfo, 'status'>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly maxResponseBytes: number;
  readonly signal: AbortSignal;
}

/** Sends once; resolves with the answer's data or a classified failure, never rejects. */
export async function sendOnce(attempt: HttpAttempt): Promise<{ data: unknown } | Failure> {
  const { request } = attempt;
  let status: number | null = null;
  try {
    const response = await attempt.fetch(request.url, { method: 'POST', headers: attempt.headers, body: attempt.body, signal: attempt.signal });
    status = response.status;
    const text = await capResponse(response, attempt.maxResponseBytes, request).text();
    return classifyBody({ ...request, status: response.status }, response.headers, text);
  } catch (error) {
    return classifyThrown(request, status, error);
  }
}
