/**
 * Refuses request bodies over the limit (Prefect Server's Apollo caps them at 5 MB) with HTTP
 * 413 and a GraphQL error, whether the client declared a Content-Length or streamed the body.
 */
import type { Plugin } from 'graphql-yoga';

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

function tooLarge(limit: number): Response {
  const megabytes = Math.round((limit / 1024 / 1024) * 10) / 10;
  return Response.json(
    { errors: [{ message: `Request body exceeds the limit of ${megabytes} MB`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] },
    { status: 413 },
  );
}

async function readCapped(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
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

export function useBodyLimit(limit = MAX_BODY_BYTES): Plugin {
  return {
    async onRequest(payload) {
      const { request, fetchAPI } = payload;
      if (request.body === null) return;
      const declared = Number(request.headers.get('content-length') ?? Number.NaN);
      if (declared > limit) {
        payload.endResponse(tooLarge(limit));
        return;
      }
      const bytes = await readCapped(request.body, limit);
      if (bytes === undefined) {
        payload.endResponse(tooLarge(limit));
        return;
      }
      payload.setRequest(new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, body: bytes }));
    },
  };
}
