// The built `runview-server` as operators run it: a second process on the same embedded data
// directory is refused with a message naming the first, a lock left by a killed process is taken
// over, and SIGTERM ends a server whose request is stuck in a PostgreSQL statement.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { print } from 'graphql';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConformanceFlowRunsDocument } from '@runview/documents/conformance';
import { POSTGRES_URL } from './mutations-harness.js';
import { answeredWhileHealthy } from './support/health.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
/** The lock file's name, as the README tells operators. */
const LOCK_FILE = 'runview-server.lock';

interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  /** The exit code and what the process wrote. */
  readonly exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Resolves with the URL it listens on, rejects if it exits first. */
  readonly listening: Promise<string>;
}

const children: ChildProcessWithoutNullStreams[] = [];

function start(args: readonly string[]): Running {
  const child = spawn(process.execPath, [BIN, '--port', '0', ...args], { env: { PATH: process.env['PATH'] } });
  children.push(child);
  let stdout = '';
  let stderr = '';
  let onListening: (url: string) => void = () => undefined;
  let onEarlyExit: (error: Error) => void = () => undefined;
  const listening = new Promise<string>((resolve, reject) => {
    onListening = resolve;
    onEarlyExit = reject;
  });
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const match = /listening on (http:\/\/\S+\/graphql)/.exec(stdout);
    if (match?.[1] !== undefined) onListening(match[1]);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => {
      onEarlyExit(new Error(`runview-server exited (${String(code)}) before listening: ${stderr}`));
      resolve({ code, stdout, stderr });
    });
  });
  // A process expected to fail is awaited through `exited`.
  listening.catch(() => undefined);
  return { child, exited, listening };
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

// Each process starts its own embedded database: minutes on a busy machine.
describe('one process per embedded data directory', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'runview-lock-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second process with a message naming the first, and takes over the lock of a killed one', async () => {
    const first = start(['--database', dir]);
    const url = await first.listening;
    // The first answers /health while the second tries the directory.
    const second = await answeredWhileHealthy(url, async () => {
      const attempt = start(['--database', dir]);
      // A second server that comes up on the directory is the failure itself: fail at once.
      const servedOn = attempt.listening.then(
        (secondUrl) => `the second process served on the same data directory at ${secondUrl}`,
        () => attempt.exited,
      );
      const outcome = await Promise.race([attempt.exited, servedOn]);
      if (typeof outcome === 'string') expect.fail(outcome);
      return outcome;
    });
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `runview-server: the data directory ${dir} is in use by another runview-server (pid ${String(first.child.pid)}); stop it first or use another --database (if no server uses it, remove ${join(dir, LOCK_FILE)})\n`,
    );
    // The first one was never disturbed.
    expect((await fetch(new URL('/health', url))).status).toBe(200);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    const third = start(['--database', dir]);
    const thirdUrl = await third.listening;
    expect((await fetch(new URL('/health', thirdUrl))).status).toBe(200);
    third.child.kill('SIGTERM');
    expect((await third.exited).code).toBe(0);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});

describe.skipIf(POSTGRES_URL === undefined || POSTGRES_URL === '')('SIGTERM during a long statement', { timeout: 120_000 }, () => {
  const name = `runview_sigterm_${randomBytes(6).toString('hex')}`;
  const admin = (): pg.Client => new pg.Client({ connectionString: POSTGRES_URL });
  const databaseUrl = (): string => {
    const url = new URL(POSTGRES_URL ?? '');
    url.pathname = `/${name}`;
    return url.toString();
  };

  afterAll(async () => {
    const client = admin();
    await client.connect();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  });

  it('ends the server within seconds though its statement would wait for ever', async () => {
    const client = admin();
    await client.connect();
    await client.query(`create database ${name}`);
    await client.end();
    // No statement timeout: only shutdown's cancel can end the statement.
    const server = start(['--database', databaseUrl(), '--statement-timeout', '0']);
    const url = await server.listening;
    const locker = new pg.Client({ connectionString: databaseUrl() });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table flow_run in access exclusive mode');
      const stuck = fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: print(ConformanceFlowRunsDocument) }),
      }).catch((error: unknown) => error);
      // Wait until the statement waits on the lock.
      for (;;) {
        const { rows } = await locker.query<{ n: number }>(
          "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
        );
        if ((rows[0]?.n ?? 0) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await answeredWhileHealthy(url, () => Promise.resolve());
      server.child.kill('SIGTERM');
      // The lock is still held: the process ends because shutdown cancels the statement.
      const result = await server.exited;
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      await stuck;
    } finally {
      await locker.query('rollback').catch(() => undefined);
      await locker.end();
    }
  });
});
