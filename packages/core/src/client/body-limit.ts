/**
 * A cap on how much of a response body the client reads. A query that selects too much (or a
 * server that misbehaves) could answer with hundreds of megabytes, which would be held whole
 * in memory before any of it is parsed. The bytes are counted as the body streams in, and the
 * read stops (closing the connection) as soon as they pass the cap; a `Content-Length` over
 * the cap stops it before reading anything.
 */
import { InvalidArgumentError, ResponseTooLargeError, type RequestInfo } from '../errors.js';

/** The default cap of one response body: 64 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Checks `createClient`'s `maxResponseBytes`. */
export function checkMaxResponseBytes(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_RESPONSE_BYTES;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError('maxResponseBytes', `maxResponseBytes must be a positive integer number of bytes, got ${String(value)}`);
  }
  return value;
}

function tooLarge(request: RequestInfo, limitBytes: number, receivedBytes: number, announced: boolean): ResponseTooLargeError {
  const size = announced ? `announced ${receivedBytes} bytes` : `passed ${limitBytes} bytes`;
  return new ResponseTooLargeError(
    `The response of the API at ${request.url} to ${request.operationName ?? 'the request'} ${size}, more than the client's maxResponseBytes (${limitBytes}); ask for fewer rows or raise the limit`,
    { request, limitBytes, receivedBytes },
  );
}

/**
 * The same response with a body that errors with a {@link ResponseTooLargeError} once more than
 * `limitBytes` have arrived (the source is then cancelled, which closes the connection).
 *
 * @throws {@link ResponseTooLargeError} at once when `Content-Length` says the body is too large.
 */
export function capResponse(response: Response, limitBytes: number, request: Omit<RequestInfo, 'status'>): Response {
  const info: RequestInfo = { ...request, status: response.status };
  const announced = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(announced) && announced > limitBytes) {
    response.body?.cancel().catch(() => undefined);
    throw tooLarge(info, limitBytes, announced, true);
  }
  if (response.body === null) return response;
  let received = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      received += chunk.byteLength;
      if (received > limitBytes) {
        controller.error(tooLarge(info, limitBytes, received, false));
        return;
      }
      controller.enqueue(chunk);
    },
  });
  return new Response(response.body.pipeThrough(counter), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
