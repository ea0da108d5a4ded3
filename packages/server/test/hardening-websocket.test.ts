// The WebSocket endpoint under the same limits as HTTP: a message larger than the body limit
// closes the socket, subscriptions are bounded per connection and per API key (2,000 asked for
// on one read-only connection: 100 open), a write that wakes a thousand live queries leaves
// `/health` answering, errors are masked (no database address), and live queries of a deleted
// flow run's logs and task runs push the deletion.
import { print, type DocumentNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { FlowRunWatchLiveDocument } from '@runview/documents';
import { DeleteFlowRunDocument, WriteRunLogsDocument } from '@runview/documents/testing';
import { ConformanceFlowRunsDocument } from '@runview/documents/conformance';
import { createServer, DEFAULT_SUBSCRIPTION_LIMITS, openDatabase, type Database, type RunviewServer } from '../src/index.js';
import { DEMO } from '../src/seed/index.js';
import { BACKENDS } from './mutations-harness.js';
import { answeredWhileHealthy, HEALTH_BOUND_MS, whileHealthAnswers } from './support/health.js';
import { send } from './support/http.js';
import { useTestServer } from './support/server.js';
import { field, subscriptionOf } from './support/shapes.js';

// Each case here is sized like the finding it reproduces (65,536 runs, 1,000 subscriptions): on a
// machine busy with the rest of the suite it can outlast the default minute without being stuck.
vi.setConfig({ testTimeout: 300_000 });

const KEYS = { reader: 'ws-reader:read', writer: 'ws-writer' } as const;
const ORIGIN = { timestamp: '0001-01-01T00:00:00+00:00', id: '00000000-0000-0000-0000-000000000000' };
const bearer = (spec: string): string => spec.split(':')[0] ?? spec;

function watchVariables(flowRunId: string, logLimit = 1000): Record<string, unknown> {
  return {
    id: flowRunId,
    logTimestamp: ORIGIN.timestamp,
    logId: ORIGIN.id,
    logLimit,
    withLogs: true,
    taskRunStateTimestamp: ORIGIN.timestamp,
    taskRunStateId: ORIGIN.id,
    withTaskRuns: true,
  };
}

interface Connection {
  readonly client: Client;
  /** The close event's code, once the socket closed. */
  readonly closed: Promise<number>;
}

function connect(url: string, key: string): Connection & { readonly connected: Promise<void> } {
  let closedWith: (code: number) => void = () => undefined;
  const closed = new Promise<number>((resolve) => {
    closedWith = resolve;
  });
  let connectedWith: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => {
    connectedWith = resolve;
  });
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: { headers: { Authorization: `Bearer ${bearer(key)}` } },
    on: {
      connected: () => {
        connectedWith();
      },
      closed: (event) => {
        closedWith((event as { code: number }).code);
      },
    },
  });
  return { client, closed, connected };
}

interface Push {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

/** A subscription (or query) whose results are read one at a time; a refusal comes as `errors`. */
function operate(client: Client, document: DocumentNode, variables: Record<string, unknown> = {}): { next(): Promise<Push> } {
  const results = client.iterate({ query: print(document), variables });
  return {
    async next() {
      try {
        const step = await results.next();
        if (step.done === true) throw new TypeError('the operation ended');
        return step.value;
      } catch (error) {
        if (Array.isArray(error)) return { errors: error as Push['errors'] };
        throw error;
      }
    },
  };
}

/** Closes the connections and waits until the client side saw each close. */
async function closeAll(connections: readonly Connection[]): Promise<void> {
  for (const connection of connections) void connection.client.dispose();
  await Promise.all(connections.map((connection) => connection.closed));
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`WebSocket limits (${backend.name})`, () => {
    const t = useTestServer(
      backend,
      async (server) => {
        const { url } = await server.listen(0, '127.0.0.1');
        return { url };
      },
      // A thousand subscriptions keep a busy test machine's event loop away from PostgreSQL's
      // connection handshakes for seconds: the wait for a connection is not what is tested here.
      { seed: 'demo', apiKeys: [KEYS.reader, KEYS.writer], maxBodyBytes: 64 * 1024, databaseTimeouts: { connectTimeoutMs: 60_000 } },
    );

    it('closes a socket whose message is larger than the body limit, and serves the next one', async () => {
      const connection = connect(t.data.url, KEYS.reader);
      await connection.connected;
      const padded = operate(connection.client, ConformanceFlowRunsDocument, { where: { name: { _eq: 'x'.repeat(100 * 1024) } } });
      await answeredWhileHealthy(t.data.url, () => expect(padded.next()).rejects.toMatchObject({ code: 1009 }));
      expect(await connection.closed).toBe(1009);
      await connection.client.dispose();
      const fresh = connect(t.data.url, KEYS.reader);
      const small = operate(fresh.client, ConformanceFlowRunsDocument, { limit: 1 });
      expect((await small.next()).errors).toBeUndefined();
      await fresh.client.dispose();
    });

    it('opens 100 of 2,000 subscriptions asked for on one read-only connection', async () => {
      const connection = connect(t.data.url, KEYS.reader);
      try {
        const asked = Array.from({ length: 2000 }, (_, index) =>
          operate(connection.client, FlowRunWatchLiveDocument, watchVariables(DEMO.flowRuns.reference, 1 + index)),
        );
        const first = await Promise.all(asked.map((operation) => operation.next()));
        expect(first.filter((push) => push.errors === undefined)).toHaveLength(DEFAULT_SUBSCRIPTION_LIMITS.perConnection);
        const refused = first.filter((push) => push.errors !== undefined);
        expect(refused).toHaveLength(2000 - DEFAULT_SUBSCRIPTION_LIMITS.perConnection);
        expect(refused[0]?.errors?.[0]?.extensions).toEqual({
          code: 'TOO_MANY_SUBSCRIPTIONS',
          scope: 'connection',
          limit: DEFAULT_SUBSCRIPTION_LIMITS.perConnection,
        });
        // A write wakes the open ones; /health answers meanwhile.
        const write = await answeredWhileHealthy(t.server, () =>
          send(
            t.server,
            WriteRunLogsDocument,
            { input: { logs: [{ flow_run_id: DEMO.flowRuns.reference, message: 'wakes a connection', level: 'INFO' }] } },
            { authorization: `Bearer ${bearer(KEYS.writer)}` },
          ),
        );
        expect(write.errors).toBeUndefined();
      } finally {
        await connection.client.dispose();
      }
    });

    it('opens at most 1,000 subscriptions for one key, and /health answers while a write wakes them all', async () => {
      const connections = Array.from({ length: 11 }, () => connect(t.data.url, KEYS.reader));
      await Promise.all(connections.map((connection) => connection.connected));
      try {
        // Each a different statement, so that no two share a run.
        const asked = connections.flatMap((connection, c) =>
          Array.from({ length: 100 }, (_, s) => operate(connection.client, FlowRunWatchLiveDocument, watchVariables(DEMO.flowRuns.reference, 1 + c * 100 + s))),
        );
        const first = await Promise.all(asked.map((operation) => operation.next()));
        const refused = first.filter((push) => push.errors !== undefined);
        expect(JSON.stringify(refused.filter((push) => push.errors?.[0]?.extensions?.['code'] !== 'TOO_MANY_SUBSCRIPTIONS'))).toBe('[]');
        expect(refused).toHaveLength(1100 - DEFAULT_SUBSCRIPTION_LIMITS.perKey);
        expect(refused[0]?.errors?.[0]?.extensions).toEqual({ code: 'TOO_MANY_SUBSCRIPTIONS', scope: 'key', limit: DEFAULT_SUBSCRIPTION_LIMITS.perKey });
        const write = await send(
          t.server,
          WriteRunLogsDocument,
          { input: { logs: [{ flow_run_id: DEMO.flowRuns.reference, message: 'wakes a thousand', level: 'INFO' }] } },
          { authorization: `Bearer ${bearer(KEYS.writer)}` },
        );
        expect(write.errors).toBeUndefined();
        const raced = await whileHealthAnswers(t.server, () => Promise.resolve());
        expect(raced.healthStatus).toBe(200);
        expect(raced.healthMs).toBeLessThan(HEALTH_BOUND_MS);
      } finally {
        await closeAll(connections);
      }
      // Closed connections give their share back (once the server has seen them close).
      const later = connect(t.data.url, KEYS.reader);
      await vi.waitFor(async () => {
        expect((await operate(later.client, FlowRunWatchLiveDocument, watchVariables(DEMO.flowRuns.reference)).next()).errors).toBeUndefined();
      });
      await closeAll([later]);
    });

    it('pushes the deletion to live queries of a flow run’s logs and task runs', async () => {
      const connection = connect(t.data.url, KEYS.reader);
      const where = { flow_run_id: { _eq: DEMO.flowRuns.failed } };
      const logs = operate(connection.client, subscriptionOf([field('log', { where, selections: [field('id')] })]));
      const taskRuns = operate(connection.client, subscriptionOf([field('task_run', { where, selections: [field('id')] })]));
      try {
        expect(((await logs.next()).data?.['log'] as unknown[]).length).toBeGreaterThan(0);
        expect(((await taskRuns.next()).data?.['task_run'] as unknown[]).length).toBeGreaterThan(0);
        const deleted = await answeredWhileHealthy(t.server, () =>
          send(t.server, DeleteFlowRunDocument, { input: { flow_run_id: DEMO.flowRuns.failed } }, { authorization: `Bearer ${bearer(KEYS.writer)}` }),
        );
        expect(deleted.data?.delete_flow_run?.success).toBe(true);
        expect((await logs.next()).data?.['log']).toEqual([]);
        expect((await taskRuns.next()).data?.['task_run']).toEqual([]);
      } finally {
        await connection.client.dispose();
      }
    });
  });
}

/** The server's database, failing every statement with a connection error once `down.on` is set. */
function failingDatabase(db: Database, down: { on: boolean }): Database {
  const refused = (): Promise<never> => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:54329'), { code: 'ECONNREFUSED' }));
  return {
    ...db,
    query: (compiled, signal) => (down.on ? refused() : db.query(compiled, signal)),
    queryTextRows: (compiled, signal) => (down.on ? refused() : db.queryTextRows(compiled, signal)),
  };
}

describe('WebSocket errors', () => {
  let db: Database;
  let server: RunviewServer;
  let url: string;
  const down = { on: false };

  beforeAll(async () => {
    db = await openDatabase('memory');
    server = await createServer({ database: failingDatabase(db, down), seed: 'demo', logger: false });
    ({ url } = await server.listen(0, '127.0.0.1'));
  });

  afterAll(async () => {
    await server.close();
    await db.close();
  });

  it('are masked as on HTTP: a typed error, never the database address', async () => {
    const connection = connect(url, '');
    const live = operate(connection.client, FlowRunWatchLiveDocument, watchVariables(DEMO.flowRuns.reference));
    try {
      expect((await live.next()).errors).toBeUndefined();
      down.on = true;
      // /health asks the database too: with it away, it says so at once.
      const {
        result: query,
        healthMs,
        healthStatus,
      } = await whileHealthAnswers(server, () => operate(connection.client, ConformanceFlowRunsDocument, { limit: 1 }).next(), url);
      await send(server, WriteRunLogsDocument, { input: { logs: [{ flow_run_id: DEMO.flowRuns.reference, message: 'while the database is away' }] } });
      const pushed = await live.next();
      for (const answer of [query, pushed]) {
        expect(answer.errors?.[0]).toMatchObject({ message: 'The database is unavailable; try again shortly.', extensions: { code: 'DATABASE_UNAVAILABLE' } });
        expect(JSON.stringify(answer)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|54329/);
      }
      expect(healthStatus).toBe(503);
      expect(healthMs).toBeLessThan(HEALTH_BOUND_MS);
    } finally {
      down.on = false;
      await connection.client.dispose();
    }
  });
});
