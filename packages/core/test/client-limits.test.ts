// The client's own limits, against real loopback servers that misbehave on purpose: durations
// past what a timer can hold (they would fire at once), a 100 MB answer (read only up to the
// cap, never held whole), a `{}` body (a malformed answer, not an unreachable API), and servers
// that ignore the log cursor and answer the same page forever.
import { ApiInfoDocument } from '@runview/documents';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createClient,
  DEFAULT_MAX_RESPONSE_BYTES,
  InvalidArgumentError,
  InvalidResponseError,
  iterFlowRunLogs,
  MAX_TIMER_MS,
  ResponseTooLargeError,
  watchFlowRun,
  type RunviewClient,
} from '../src/index.js';

interface Loopback {
  readonly url: string;
  /** Operation names of the requests received, in order. */
  readonly operations: string[];
  close(): Promise<void>;
}

type Handler = (body: { operationName?: string; variables?: Record<string, unknown> }, res: ServerResponse, req: IncomingMessage) => void;

const open: Loopback[] = [];

async function loopback(handler: Handler): Promise<Loopback> {
  const operations: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Parameters<Handler>[0];
      operations.push(body.operationName ?? '?');
      handler(body, res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const handle: Loopback = {
    url: `http://127.0.0.1:${port}/graphql`,
    operations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
  open.push(handle);
  return handle;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const API = { api: { backend: 'SERVER', mode: 'normal', version: '2022.09.07', core_version: '1.4.1', release_timestamp: null } };
const retries = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 2 };

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

describe('durations a timer cannot hold', () => {
  const days25 = 25 * 24 * 3_600_000;

  it('refuses a timeout of 2^31 ms or more with an InvalidArgumentError, before any request', async () => {
    const server = await loopback((_, res) => {
      json(res, { data: API });
    });
    expect(() => createClient({ url: server.url, timeoutMs: days25 })).toThrow(InvalidArgumentError);
    expect(() => createClient({ url: server.url, timeoutMs: 2 ** 31 })).toThrow(/at most 2147483647 ms/);
    const client = createClient({ url: server.url });
    const error = await failure(client.query(ApiInfoDocument, {}, { timeoutMs: days25 }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'timeoutMs' });
    expect(client.requestCount).toBe(0);
    expect(server.operations).toEqual([]);
  });

  it('accepts the longest timeout a timer holds, and the call is answered', async () => {
    const server = await loopback((_, res) => {
      json(res, { data: API });
    });
    const client = createClient({ url: server.url, timeoutMs: MAX_TIMER_MS });
    await expect(client.query(ApiInfoDocument, {})).resolves.toEqual(API);
  });

  it('refuses retry delays and watch durations past it', () => {
    expect(() => createClient({ retry: { maxRetryAfterMs: days25 } })).toThrow(InvalidArgumentError);
    expect(() => createClient({ retry: { maxDelayMs: 2 ** 31 } })).toThrow(/retry\.maxDelayMs must be at most/);
    const client = createClient({ url: 'http://127.0.0.1:9/graphql' });
    for (const option of ['timeoutMs', 'pollIntervalMs', 'drainMs', 'lateLogWindowMs'] as const) {
      expect(() => watchFlowRun(randomUUID(), { client, [option]: days25 })).toThrow(new RegExp(`${option} must be at most`));
    }
    expect(client.requestCount).toBe(0);
  });
});

describe('the response-size cap', () => {
  const MB = 1024 * 1024;

  /** A server that streams `total` bytes of one JSON string, chunk by chunk, without Content-Length. */
  async function streaming(total: number, announce: boolean): Promise<Loopback & { written(): number }> {
    let written = 0;
    const server = await loopback((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json', ...(announce ? { 'content-length': String(total) } : {}) });
      const chunk = Buffer.alloc(MB, 0x61);
      const head = Buffer.from('{"data":{"api":{"backend":"');
      res.write(head);
      written += head.length;
      const pump = (): void => {
        while (written + chunk.length < total) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end('"}}}');
      };
      // A client that stops reading closes the socket; the pump then stops on its own.
      res.on('error', () => undefined);
      pump();
    });
    return { ...server, written: () => written };
  }

  it('stops reading a 100 MB answer at the default 64 MiB with a ResponseTooLargeError, not retried', async () => {
    const server = await streaming(100 * MB, false);
    const client = createClient({ url: server.url, retry: retries });
    const error = await failure(client.query(ApiInfoDocument, {}));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ code: 'RESPONSE_TOO_LARGE', limitBytes: DEFAULT_MAX_RESPONSE_BYTES, request: { operationName: 'ApiInfo', status: 200 } });
    expect((error as ResponseTooLargeError).receivedBytes).toBeGreaterThan(DEFAULT_MAX_RESPONSE_BYTES);
    expect((error as ResponseTooLargeError).receivedBytes).toBeLessThan(100 * MB);
    expect(client.requestCount).toBe(1);
    // The connection closed long before the server got its 100 MB out.
    expect(server.written()).toBeLessThan(100 * MB);
  });

  it('refuses an announced Content-Length over the cap before reading the body', async () => {
    const server = await streaming(100 * MB, true);
    const client = createClient({ url: server.url, retry: retries, maxResponseBytes: 4 * MB });
    const error = await failure(client.query(ApiInfoDocument, {}));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ limitBytes: 4 * MB, receivedBytes: 100 * MB });
    expect(client.requestCount).toBe(1);
  });

  it('reads an answer under the cap as usual, and checks the option', async () => {
    const server = await loopback((_, res) => {
      json(res, { data: API });
    });
    await expect(createClient({ url: server.url, maxResponseBytes: 1024 }).query(ApiInfoDocument, {})).resolves.toEqual(API);
    expect(() => createClient({ maxResponseBytes: 0 })).toThrow(InvalidArgumentError);
  });
});

describe('a body that is JSON but not a GraphQL response', () => {
  it('reports {} as an InvalidResponseError, once, without retrying', async () => {
    const server = await loopback((_, res) => {
      json(res, {});
    });
    const client = createClient({ url: server.url, retry: retries });
    const error = await failure(client.query(ApiInfoDocument, {}));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', operationName: 'ApiInfo' });
    expect((error as Error).message).toContain('neither "data" nor "errors"');
    expect((error as Error).message).not.toMatch(/Could not reach/);
    expect(client.requestCount).toBe(1);
  });
});

describe('a server that ignores the log cursor', () => {
  const flowRunId = randomUUID();
  const PAGE = 5;
  const lines = Array.from({ length: PAGE }, (_, index) => ({
    id: randomUUID(),
    flow_run_id: flowRunId,
    task_run_id: null,
    timestamp: `2024-01-01T00:00:0${index}+00:00`,
    level: 'INFO',
    name: 'prefect',
    message: `line ${index}`,
  }));
  const flowRun = {
    id: flowRunId,
    name: 'stuck',
    flow_id: randomUUID(),
    version: 3,
    labels: [],
    parameters: {},
    context: {},
    run_config: null,
    state: 'Running',
    state_message: null,
    serialized_state: { type: 'Running', message: null },
    scheduled_start_time: '2024-01-01T00:00:00+00:00',
    start_time: '2024-01-01T00:00:00+00:00',
    end_time: null,
    created: '2024-01-01T00:00:00+00:00',
    updated: '2024-01-01T00:00:00+00:00',
    states: [],
    logs: lines,
    task_runs: [],
  };

  it('ends iterLogs with an InvalidResponseError on the second page, instead of reading the first one forever', async () => {
    const server = await loopback((_, res) => {
      json(res, { data: { log: lines } });
    });
    const client: RunviewClient = createClient({ url: server.url, retry: false });
    const read: string[] = [];
    let error: unknown = null;
    try {
      for await (const log of iterFlowRunLogs(client, flowRunId, { pageSize: PAGE })) {
        read.push(log.id);
        // Bounded, so that the old behaviour fails here rather than hangs.
        if (read.length > 10 * PAGE) break;
      }
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/FlowRunLogsPage.*ignored the log cursor/);
    expect(read).toEqual(lines.map((line) => line.id));
    expect(server.operations).toEqual(['FlowRunLogsFirstPage', 'FlowRunLogsPage']);
  });

  it('ends a watch with an InvalidResponseError once a full page does not move on', async () => {
    const server = await loopback((_, res) => {
      json(res, { data: { flow_run_by_pk: flowRun } });
    });
    const client = createClient({ url: server.url, retry: false });
    const watch = watchFlowRun(flowRunId, { client, live: false, pageSize: PAGE, streamStates: false, streamTaskRuns: false });
    let events = 0;
    let error: unknown = null;
    try {
      for await (const event of watch) {
        events += 1;
        if (event.type === 'log' && events > 10 * PAGE) break;
      }
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/FlowRunWatch.*ignored the log cursor/);
    expect(server.operations).toEqual(['FlowRunWatch', 'FlowRunWatch']);
  });
});
