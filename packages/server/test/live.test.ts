// Subscriptions as Hasura serves them, over graphql-ws on the /graphql path of a real server:
// the first result at once, a new one when a mutation changes what it reads, the same
// authentication and tenancy as HTTP, and (on PostgreSQL) pushes from every server process.
import { randomBytes } from 'node:crypto';
import { FlowRunWatchLiveDocument, type FlowRunWatchLiveSubscription, type FlowRunWatchQueryVariables } from '@runview/documents';
import { WriteRunLogsDocument } from '@runview/documents/testing';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createServer, type RunviewServer } from '../src/index.js';
import { DEMO } from '../src/seed/index.js';
import { createGraphQLClient } from '../src/simulate/client.js';

const POSTGRES_URL = process.env['RUNVIEW_TEST_DATABASE_URL'];
const OTHER_TENANT = '0b7e6a55-9d1f-4d5c-9a63-2f1d3c4b5a70';
const KEYS = { writer: 'live-writer', other: 'live-other' } as const;
const REFERENCE_RUN = DEMO.flowRuns.reference;
const ORIGIN = { timestamp: '0001-01-01T00:00:00+00:00', id: '00000000-0000-0000-0000-000000000000' };

function variables(flowRunId: string): FlowRunWatchQueryVariables {
  return {
    id: flowRunId,
    logTimestamp: ORIGIN.timestamp,
    logId: ORIGIN.id,
    logLimit: 1000,
    withLogs: true,
    taskRunStateTimestamp: ORIGIN.timestamp,
    taskRunStateId: ORIGIN.id,
    withTaskRuns: true,
  };
}

interface Push {
  data?: FlowRunWatchLiveSubscription | null;
  errors?: readonly { message: string }[];
}

/** A subscription whose pushes are read one at a time. */
function subscribe(url: string, flowRunId: string, apiKey?: string): { next(): Promise<Push>; client: Client; closed: Promise<unknown> } {
  let closedWith: (event: unknown) => void = () => undefined;
  const closed = new Promise<unknown>((resolve) => {
    closedWith = resolve;
  });
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: apiKey === undefined ? {} : { headers: { Authorization: `Bearer ${apiKey}` } },
    on: {
      closed: (event) => {
        closedWith(event);
      },
    },
  });
  const pushes = client.iterate<FlowRunWatchLiveSubscription>({ query: print(FlowRunWatchLiveDocument), variables: { ...variables(flowRunId) } });
  return {
    client,
    closed,
    async next() {
      const step = await pushes.next();
      if (step.done === true) throw new TypeError('the subscription ended');
      return step.value;
    },
  };
}

function writeLog(server: RunviewServer, flowRunId: string, message: string, apiKey: string = KEYS.writer): Promise<unknown> {
  const api = createGraphQLClient({ url: 'http://runview.test/graphql', fetch: (request) => server.fetch(request), apiKey });
  return api.request(WriteRunLogsDocument, { input: { logs: [{ flow_run_id: flowRunId, message, level: 'INFO' }] } });
}

describe('subscriptions over graphql-ws (PGlite)', () => {
  let server: RunviewServer;
  let url: string;

  beforeAll(async () => {
    server = await createServer({ database: 'memory', seed: 'demo', logger: false, apiKeys: [KEYS.writer, `${KEYS.other}:${OTHER_TENANT}`] });
    ({ url } = await server.listen(0, '127.0.0.1'));
  });

  afterAll(async () => {
    await server.close();
  });

  it('pushes the live query at once, then again when a mutation changes what it reads', async () => {
    // The server's own listeners (cloud hooks) stay; the live query's come and go.
    const serverListeners = server.events.listenerCount;
    const subscription = subscribe(url, REFERENCE_RUN, KEYS.writer);
    try {
      const first = await subscription.next();
      expect(first.errors).toBeUndefined();
      const run = first.data?.flow_run_by_pk;
      expect(run?.id).toBe(REFERENCE_RUN);
      expect(run?.states.length).toBe(4);
      const before = run?.logs?.length ?? 0;
      expect(before).toBeGreaterThan(0);
      await writeLog(server, REFERENCE_RUN, 'a line written while subscribed');
      const second = await subscription.next();
      const logs = second.data?.flow_run_by_pk?.logs ?? [];
      expect(logs.length).toBe(before + 1);
      expect(logs.map((log) => log.message)).toContain('a line written while subscribed');
    } finally {
      await subscription.client.dispose();
    }
    // The server drops the live query's listener once it sees the socket close.
    await vi.waitFor(() => {
      expect(server.events.listenerCount).toBe(serverListeners);
    });
  });

  it('refuses a connection without a valid API key', async () => {
    const subscription = subscribe(url, REFERENCE_RUN, 'not-a-key');
    await expect(subscription.next()).rejects.toMatchObject({ code: 4403 });
    await subscription.client.dispose();
  });

  it("scopes a subscription to its key's tenant", async () => {
    const subscription = subscribe(url, REFERENCE_RUN, KEYS.other);
    try {
      const first = await subscription.next();
      expect(first.errors).toBeUndefined();
      expect(first.data?.flow_run_by_pk).toBeNull();
    } finally {
      await subscription.client.dispose();
    }
  });

  it('answers a bad subscription with a GraphQL error, not a dropped socket', async () => {
    const client = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { Authorization: `Bearer ${KEYS.writer}` },
    });
    try {
      // The shipped subscription with a field the schema does not have.
      const query = print(FlowRunWatchLiveDocument).replace('scheduled_start_time', 'nope');
      const pushes = client.iterate({ query, variables: { ...variables(REFERENCE_RUN) } });
      const errors = await pushes.next().then(
        () => [],
        (caught: unknown) => caught as { message: string }[],
      );
      expect(errors.some((error) => error.message.includes('Cannot query field "nope"'))).toBe(true);
    } finally {
      await client.dispose();
    }
  });
});

describe.skipIf(POSTGRES_URL === undefined || POSTGRES_URL === '')('subscriptions across server processes (PostgreSQL LISTEN/NOTIFY)', () => {
  const name = `runview_live_${randomBytes(6).toString('hex')}`;
  let databaseUrl: string;
  let first: RunviewServer;
  let second: RunviewServer;
  let secondUrl: string;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(POSTGRES_URL ?? '');
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    first = await createServer({ database: databaseUrl, seed: 'demo', logger: false, apiKeys: [KEYS.writer] });
    second = await createServer({ database: databaseUrl, logger: false, apiKeys: [KEYS.writer] });
    ({ url: secondUrl } = await second.listen(0, '127.0.0.1'));
  });

  afterAll(async () => {
    await first.close();
    await second.close();
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  it('pushes a change committed through another server process', async () => {
    const subscription = subscribe(secondUrl, REFERENCE_RUN, KEYS.writer);
    try {
      const before = (await subscription.next()).data?.flow_run_by_pk?.logs?.length ?? 0;
      await writeLog(first, REFERENCE_RUN, 'written through the other process');
      const pushed = await subscription.next();
      const logs = pushed.data?.flow_run_by_pk?.logs ?? [];
      expect(logs.length).toBe(before + 1);
      expect(logs.at(-1)?.message).toBe('written through the other process');
    } finally {
      await subscription.client.dispose();
    }
  });
});
