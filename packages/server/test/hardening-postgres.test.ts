// PostgreSQL faults: a statement past the statement timeout fails with STATEMENT_TIMEOUT, a
// request whose client went away has its statement cancelled on the server, a pool with every
// connection held answers DATABASE_BUSY at once, a connection terminated mid-query fails its
// request with DATABASE_UNAVAILABLE and the process goes on (later requests succeed), and
// PostgreSQL restarted under load costs requests, not the server. `/health` answers meanwhile.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { print } from 'graphql';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConformanceFlowRunsDocument } from '@runview/documents/conformance';
import { createServer, type RunviewServer, type ServerOptions } from '../src/index.js';
import { POSTGRES_URL } from './mutations-harness.js';
import { insertTenantData, TENANT_A } from './support/fixtures.js';
import { answeredWhileHealthy, HEALTH_BOUND_MS, whileHealthAnswers } from './support/health.js';
import { send } from './support/http.js';

/** A database of its own on the test server, dropped afterwards. */
async function scratchDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `runview_faults_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** Another session that holds an exclusive lock on flow_run until released: every read of it waits. */
async function lockFlowRuns(url: string): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('begin');
  await client.query('lock table flow_run in access exclusive mode');
  return {
    async release() {
      await client.query('rollback');
      await client.end();
    },
  };
}

/** The server's sessions (they name themselves `runview-server …`) in `state`, waiting for a lock or not. */
async function serverSessions(url: string, filter: 'waiting for a lock' | 'all'): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      `select pid from pg_stat_activity where datname = current_database() and application_name like 'runview-server %' and application_name not like '% cancel'${
        filter === 'waiting for a lock' ? " and wait_event_type = 'Lock'" : ''
      }`,
    );
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

async function terminate(url: string, pids: readonly number[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [pids]);
  await client.end();
}

const firstCode = (answer: { errors?: readonly { extensions?: { code?: string } }[] }): string | undefined => answer.errors?.[0]?.extensions?.code;

describe.skipIf(POSTGRES_URL === undefined || POSTGRES_URL === '')('PostgreSQL faults', () => {
  let database: { url: string; drop(): Promise<void> };
  const servers: RunviewServer[] = [];
  const locks: { release(): Promise<void> }[] = [];

  async function start(options: Omit<ServerOptions, 'database'> = {}): Promise<RunviewServer> {
    const server = await createServer({ logger: false, ...options, database: database.url });
    servers.push(server);
    return server;
  }

  async function lock(): Promise<void> {
    locks.push(await lockFlowRuns(database.url));
  }

  beforeAll(async () => {
    database = await scratchDatabase(POSTGRES_URL ?? '');
    const seeder = await createServer({ logger: false, database: database.url });
    await insertTenantData(seeder.db, TENANT_A);
    await seeder.close();
  });

  afterEach(async () => {
    for (const held of locks.splice(0)) await held.release();
    for (const server of servers.splice(0)) await server.close();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('stops a statement past the statement timeout with STATEMENT_TIMEOUT, while /health answers', async () => {
    const server = await start({ databaseTimeouts: { statementTimeoutMs: 300 } });
    await lock();
    const { result, healthMs, healthStatus } = await whileHealthAnswers(server, () => send(server, ConformanceFlowRunsDocument, {}));
    expect(firstCode(result)).toBe('STATEMENT_TIMEOUT');
    expect(result.errors?.[0]?.message).toBe('The operation ran longer than the server allows for one statement and was stopped.');
    expect(healthStatus).toBe(200);
    expect(healthMs).toBeLessThan(HEALTH_BOUND_MS);
  });

  it('cancels the statement of a client that went away', async () => {
    const server = await start();
    const { url } = await server.listen(0, '127.0.0.1');
    await lock();
    const controller = new AbortController();
    const request = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: print(ConformanceFlowRunsDocument) }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    let waiting: number[] = [];
    await vi.waitFor(async () => {
      waiting = await serverSessions(database.url, 'waiting for a lock');
      expect(waiting).toHaveLength(1);
    });
    controller.abort();
    await request;
    // The lock is still held: only a cancel ends the statement.
    await vi.waitFor(async () => {
      expect(await serverSessions(database.url, 'waiting for a lock')).toEqual([]);
    });
    // A cancel may land after its statement ended: the connection it was sent for is closed,
    // never lent to another request whose statement the late cancel would stop.
    await vi.waitFor(async () => {
      expect(await serverSessions(database.url, 'all')).not.toContain(waiting[0]);
    });
    await locks.pop()?.release();
    expect((await send(server, ConformanceFlowRunsDocument, {})).errors).toBeUndefined();
  });

  it('answers DATABASE_BUSY when every connection is held, and /health still answers', async () => {
    const server = await start({ databaseTimeouts: { connectTimeoutMs: 200 } });
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const held = Array.from({ length: 10 }, () => server.db.transaction(() => gate));
    await vi.waitFor(async () => {
      expect((await serverSessions(database.url, 'all')).length).toBeGreaterThanOrEqual(10);
    });
    const { result, healthMs } = await whileHealthAnswers(server, () => send(server, ConformanceFlowRunsDocument, {}));
    expect(firstCode(result)).toBe('DATABASE_BUSY');
    expect(healthMs).toBeLessThan(HEALTH_BOUND_MS);
    open();
    await Promise.all(held);
    expect((await send(server, ConformanceFlowRunsDocument, {})).errors).toBeUndefined();
  });

  it('fails a request whose connection is terminated mid-query with DATABASE_UNAVAILABLE, and serves the next ones', async () => {
    const server = await start();
    await lock();
    const pending = send(server, ConformanceFlowRunsDocument, {});
    let waiting: number[] = [];
    await vi.waitFor(async () => {
      waiting = await serverSessions(database.url, 'waiting for a lock');
      expect(waiting).toHaveLength(1);
    });
    await terminate(database.url, waiting);
    // The process lives on, and answers /health while the request learns of its loss.
    const failed = await answeredWhileHealthy(server, () => pending);
    expect(firstCode(failed)).toBe('DATABASE_UNAVAILABLE');
    expect(failed.text).not.toMatch(/terminat|127\.0\.0\.1|\n\s+at /i);
    await locks.pop()?.release();
    // Every connection of the server gone: the pool opens new ones.
    await terminate(database.url, await serverSessions(database.url, 'all'));
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await send(server, ConformanceFlowRunsDocument, {})).errors).toBeUndefined();
  });
});

/** PostgreSQL's own binaries, for a throwaway cluster this test may restart. */
const PG_BIN = ['/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'].find((dir) => existsSync(join(dir, 'pg_ctl')));
const IS_ROOT = process.getuid?.() === 0;
const CLUSTER_SKIP =
  PG_BIN === undefined ? 'no PostgreSQL binaries (pg_ctl) installed' : !IS_ROOT ? 'not root: the throwaway cluster runs as the postgres user' : undefined;

describe.skipIf(CLUSTER_SKIP !== undefined)(`PostgreSQL restarted under load${CLUSTER_SKIP === undefined ? '' : ` (skipped: ${CLUSTER_SKIP})`}`, () => {
  let dir: string;
  let port: number;
  const asPostgres = (command: string): void => {
    const result = spawnSync('su', ['postgres', '-s', '/bin/bash', '-c', command], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command}: ${result.stderr}`);
  };
  const pgCtlCommand = (action: string): string =>
    `'${PG_BIN ?? ''}/pg_ctl' -D '${dir}/data' -l '${dir}/log' -w -o "-p ${String(port)} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off" ${action} >/dev/null`;
  /** Runs pg_ctl without blocking this process, so that the load goes on meanwhile. */
  const pgCtlAsync = (action: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const child = spawn('su', ['postgres', '-s', '/bin/bash', '-c', pgCtlCommand(action)], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('exit', (code) => {
        if (code === 0) resolve();
        else reject(new Error(`pg_ctl ${action} exited with ${String(code)}`));
      });
    });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'runview-restart-'));
    chownSync(
      dir,
      Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()),
      Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim()),
    );
    port = 55_000 + Math.floor(Math.random() * 5_000);
    asPostgres(`'${PG_BIN ?? ''}/initdb' -D '${dir}/data' -U postgres -A trust -E UTF8 --no-locale >/dev/null`);
    asPostgres(pgCtlCommand('start'));
  });

  afterAll(() => {
    try {
      asPostgres(`'${PG_BIN ?? ''}/pg_ctl' -D '${dir}/data' -m immediate stop >/dev/null`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps serving: requests during the restart fail with a typed error, those after it succeed', async () => {
    const server = await createServer({
      logger: false,
      database: `postgres://postgres@127.0.0.1:${String(port)}/postgres`,
      databaseTimeouts: { connectTimeoutMs: 2_000 },
    });
    try {
      await insertTenantData(server.db, TENANT_A);
      const codes = new Set<string>();
      let stop = false;
      // Eight clients asking without pause while PostgreSQL restarts.
      const load = Array.from({ length: 8 }, async () => {
        while (!stop) {
          const answer = await send(server, ConformanceFlowRunsDocument, {});
          codes.add(firstCode(answer) ?? 'ok');
        }
      });
      await vi.waitFor(() => {
        expect(codes.has('ok')).toBe(true);
      });
      codes.clear();
      // While PostgreSQL is away /health says so (503), at once.
      const { healthMs } = await whileHealthAnswers(server, () => pgCtlAsync('-m fast restart'));
      expect(healthMs).toBeLessThan(HEALTH_BOUND_MS);
      await vi.waitFor(() => {
        expect(codes.has('ok')).toBe(true);
      });
      stop = true;
      await Promise.all(load);
      expect([...codes].filter((code) => !['ok', 'DATABASE_UNAVAILABLE', 'DATABASE_BUSY'].includes(code))).toEqual([]);
      for (let attempt = 0; attempt < 3; attempt += 1) expect((await send(server, ConformanceFlowRunsDocument, {})).errors).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});
