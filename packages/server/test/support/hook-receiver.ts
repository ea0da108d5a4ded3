/**
 * A real HTTP receiver for cloud hooks on a loopback port: it records every request (path,
 * headers, JSON body) and hands them out in arrival order, so a test awaits the call it
 * expects instead of sleeping. Requests to `/hang/...` are held unanswered until `close()`.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCall {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

export interface HookReceiver {
  /** `http://127.0.0.1:<port><path>`. */
  url(path: string): string;
  /** The next call not yet taken, waiting for it if none is there. */
  next(): Promise<ReceivedCall>;
  /** Every call so far, taken or not. */
  readonly calls: readonly ReceivedCall[];
  close(): Promise<void>;
}

export async function startHookReceiver(): Promise<HookReceiver> {
  const calls: ReceivedCall[] = [];
  let taken = 0;
  const waiters: ((call: ReceivedCall) => void)[] = [];
  const held: ServerResponse[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const call: ReceivedCall = { path: request.url ?? '', headers: request.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
      calls.push(call);
      const waiter = waiters.shift();
      if (waiter !== undefined) {
        taken += 1;
        waiter(call);
      }
      if (call.path.startsWith('/hang/')) held.push(response);
      else response.writeHead(call.path.startsWith('/fail/') ? 500 : 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    calls,
    next() {
      const call = calls[taken];
      if (call !== undefined) {
        taken += 1;
        return Promise.resolve(call);
      }
      return new Promise((resolve) => {
        waiters.push(resolve);
      });
    },
    async close() {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}

/** A loopback URL where nothing listens (its port was just freed): connections are refused. */
export async function refusedUrl(path: string): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  return `http://127.0.0.1:${port}${path}`;
}
