/**
 * Reads a request body up to the limit (Prefect Server's Apollo caps it at 5 MB), whether the
 * client declared a Content-Length or streamed the body; past it the request is refused with
 * HTTP 413 without reading further.
 */
import type { GraphQLError } from 'graphql';
import { requestError } from './request-params.js';

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

function tooLarge(limit: number): GraphQLError {
  const megabytes = Math.round((limit / 1024 / 1024) * 10) / 10;
  return requestError(`Request body exceeds the limit of ${megabytes} MB`, 413, 'PAYLOAD_TOO_LARGE', { figures: { limit } });
}

async function readCapped(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | undefined> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The body's bytes (empty when there is none). Throws a 413 request error past `limit`. */
export async function readBody(request: Request, limit = MAX_BODY_BYTES): Promise<Uint8Array> {
  if (request.body === null) return new Uint8Array(0);
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw tooLarge(limit);
  const bytes = await readCapped(request.body, limit);
  if (bytes === undefined) throw tooLarge(limit);
  return bytes;
}
