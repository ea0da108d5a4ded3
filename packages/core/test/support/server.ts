// A real @runview/server (PGlite, demo data) on a loopback port, and helpers that write rows
// the demo does not have straight into its database.
import { createServer, jsonb, type RunviewServer } from '@runview/server';
import { randomUUID } from 'node:crypto';
import { createClient, type ClientOptions, type RunviewClient } from '../../src/index.js';
import { pgliteCopy } from './snapshots.js';

/** Ids of the demo data (the documentation's own ids, and the server's extra demo runs). */
export const DEMO = {
  flowId: '8bdcf5b5-7598-49d1-a885-61612ca550de',
  flowGroupId: '4b5f323f-a95a-49f5-8e74-36a6028d9c26',
  etlFlowId: 'df268d49-2277-43a8-9475-95437512ca8e',
  reference: '4c0101af-c6bb-4b96-8661-63a5bbfb5596',
  woodooLeopard: '8e445d74-9ca6-425b-98e5-72754b7ea174',
  failed: '3ace8c77-a520-44f0-bdb6-d6c087863831',
  running: '4ad9f958-4266-41ad-9064-c56655f6eb89',
  mapped: 'f169eb3a-5a85-44de-8622-e2c40a967a20',
  mappedParentTaskRun: 'ce7c5496-a1e8-4ad1-b567-50700a8b6566',
  chatty: '65d4c2fd-f6b5-4dc5-a8ae-febdb798009a',
  taskRuns: {
    'say_hello-1': 'c8751f34-9d5e-4ea7-aead-8b50978dabb7',
    'say_hello-2': 'f5f422f6-4f56-45d2-bd55-5ea048070d84',
    'say_hello-3': '7cc167d3-737d-4187-85d8-d5e5a75fbd93',
  },
  taskIds: {
    'say_hello-1': '34b0dd2d-582e-4f0a-923d-63daf1e38fe5',
    'say_hello-2': '294a634d-ea60-4345-bb40-a57aeef853ed',
  },
} as const;

/** A tenant of its own, with its own key, to check isolation. */
export const OTHER_TENANT = '0b7e6a55-9d1f-4d5c-9a63-2f1d3c4b5a69';

/** The API keys of the shared server: read-write, read-only, and another tenant's. */
export const KEYS = { writer: 'writer-key', reader: 'reader-key', otherTenant: 'other-key' } as const;

/** The largest `limit` the shared server accepts. */
export const MAX_LIMIT = 5000;

export interface TestServer {
  readonly server: RunviewServer;
  readonly url: string;
  /** A client of this server with the read-write key (retries off unless asked: tests count requests). */
  client(options?: ClientOptions): RunviewClient;
}

let shared: Promise<TestServer> | undefined;

/**
 * The one server every test file of this package shares (the files run in one worker without
 * isolation, see vitest.config.ts), on a copy of the demo snapshot the global setup prepared
 * (test/support/snapshots.ts): no migrations or demo seed of its own. It stops with the worker;
 * the copy goes with the run's scratch directory.
 */
export function sharedServer(): Promise<TestServer> {
  shared ??= (async () => {
    const copy = await pgliteCopy('demo');
    const server = await createServer({
      database: copy.database,
      ...(copy.fromSnapshot ? {} : { seed: 'demo' as const }),
      logger: false,
      maxLimit: MAX_LIMIT,
      apiKeys: [KEYS.writer, `${KEYS.reader}:read`, `${KEYS.otherTenant}:${OTHER_TENANT}`],
    });
    const { url } = await server.listen(0, '127.0.0.1');
    return {
      server,
      url,
      client: (clientOptions: ClientOptions = {}) => createClient({ url, apiKey: KEYS.writer, retry: false, ...clientOptions }),
    };
  })();
  return shared;
}

export interface NewFlowRun {
  readonly id?: string;
  readonly name?: string;
  readonly serializedState?: unknown;
  readonly state?: string | null;
  readonly updated?: string;
}

/** Inserts a flow run of the hello-world flow with exactly the given state columns. */
export async function insertFlowRun(server: RunviewServer, run: NewFlowRun = {}): Promise<string> {
  const id = run.id ?? randomUUID();
  const serialized = run.serializedState === undefined ? null : jsonb(run.serializedState as Parameters<typeof jsonb>[0]);
  await server.db.kysely
    .insertInto('flow_run')
    .values({
      id,
      flow_id: DEMO.flowId,
      name: run.name ?? `test-run-${id.slice(0, 8)}`,
      serialized_state: serialized,
      state: run.state ?? null,
      ...(run.updated === undefined ? {} : { updated: run.updated }),
    })
    .execute();
  return id;
}

/** Inserts `count` task runs of one task into a flow run (map indexes from `firstMapIndex`). */
export async function insertTaskRuns(
  server: RunviewServer,
  flowRunId: string,
  count: number,
  options: { taskId?: string; firstMapIndex?: number; serializedState?: unknown; state?: string | null } = {},
): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    flow_run_id: flowRunId,
    task_id: options.taskId ?? DEMO.taskIds['say_hello-2'],
    map_index: (options.firstMapIndex ?? 0) + index,
    serialized_state: options.serializedState === undefined ? null : jsonb(options.serializedState as Parameters<typeof jsonb>[0]),
    state: options.state ?? null,
  }));
  for (let start = 0; start < rows.length; start += 500) {
    await server.db.kysely
      .insertInto('task_run')
      .values(rows.slice(start, start + 500))
      .execute();
  }
  return rows.map((row) => row.id);
}

/** Inserts log lines into a flow run. */
export async function insertLogs(
  server: RunviewServer,
  flowRunId: string,
  lines: readonly { timestamp: string; level?: string; message: string; taskRunId?: string }[],
): Promise<string[]> {
  const rows = lines.map((line) => ({
    id: randomUUID(),
    flow_run_id: flowRunId,
    task_run_id: line.taskRunId ?? null,
    timestamp: line.timestamp,
    level: line.level ?? 'INFO',
    name: 'test',
    message: line.message,
  }));
  for (let start = 0; start < rows.length; start += 500) {
    await server.db.kysely
      .insertInto('log')
      .values(rows.slice(start, start + 500))
      .execute();
  }
  return rows.map((row) => row.id);
}

/** Counts the requests a piece of work sends. */
export async function countRequests<T>(client: RunviewClient, work: () => Promise<T>): Promise<{ result: T; requests: number }> {
  const before = client.requestCount;
  const result = await work();
  return { result, requests: client.requestCount - before };
}
