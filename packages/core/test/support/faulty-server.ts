// A real HTTP server on a loopback port that misbehaves on purpose: it answers each request
// with the next scripted behaviour (a status with headers and body, a stall, a dropped socket),
// for the failures a healthy GraphQL server never produces.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour =
  { readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown } | { readonly stall: true } | { readonly destroy: true };

export interface RecordedRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: { operationName?: string; query?: string; variables?: Record<string, unknown> };
}

export interface FaultyServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Queues behaviours; when the queue is empty the fallback answers. */
  script(...behaviours: Behaviour[]): void;
  /** Resolves once `count` requests in all have arrived (their bodies read). */
  received(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultyServer(fallback: Behaviour): Promise<FaultyServer> {
  const queue: Behaviour[] = [];
  const requests: RecordedRequest[] = [];
  const stalled = new Set<ServerResponse>();
  const waiting: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({ headers: req.headers, body: text ? (JSON.parse(text) as RecordedRequest['body']) : {} });
      for (const waiter of waiting.filter((entry) => requests.length >= entry.count)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve();
      }
      const behaviour = queue.shift() ?? fallback;
      if ('stall' in behaviour) {
        stalled.add(res);
        return;
      }
      if ('destroy' in behaviour) {
        req.socket.destroy();
        return;
      }
      const body = typeof behaviour.body === 'string' ? behaviour.body : JSON.stringify(behaviour.body ?? {});
      res.writeHead(behaviour.status, { 'content-type': 'application/json', ...behaviour.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    requests,
    script: (...behaviours) => queue.push(...behaviours),
    received: (count) =>
      requests.length >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiting.push({ count, resolve });
          }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of stalled) res.destroy();
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
