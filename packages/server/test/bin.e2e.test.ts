// The built `runview-server` binary as a user runs it: it prints its URL, answers the seed
// document's query exactly as the document shows, shuts down cleanly on SIGTERM, and reports
// a taken port, an unreachable database or a bad flag in one line without a stack trace.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer as createNetServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { print } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { ConformanceSeedFlowRunByNameDocument } from '@runview/documents/conformance';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const children: ChildProcessWithoutNullStreams[] = [];

function start(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcessWithoutNullStreams; finished: Promise<Finished>; output: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env['PATH'], ...env } });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<Finished>((resolve) => {
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
  return { child, finished, output: () => stdout };
}

async function waitFor(output: () => string, pattern: RegExp, finished: Promise<Finished>): Promise<RegExpMatchArray> {
  const state = { exited: false };
  void finished.then(() => {
    state.exited = true;
  });
  for (;;) {
    const match = pattern.exec(output());
    if (match !== null) return match;
    if (state.exited) throw new Error(`runview-server exited before printing ${String(pattern)}: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function expectOneLineError(result: Finished, pattern: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

// Each test starts a process with its own embedded database (the demo seed writes thousands of
// rows): minutes on a busy machine.
describe('runview-server', { timeout: 300_000 }, () => {
  it('serves the demo data and answers the seed document query verbatim, drives a simulated run with --simulate, then stops on SIGTERM', async () => {
    const { child, finished, output } = start(['-p', '0', '--seed', 'demo', '--simulate', '--simulate-runs', '1']);
    const [, url] = await waitFor(output, /listening on (http:\/\/127\.0\.0\.1:\d+\/graphql)/, finished);
    const response = await fetch(url ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: print(ConformanceSeedFlowRunByNameDocument) }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      data: { flow_run: [{ id: '8e445d74-9ca6-425b-98e5-72754b7ea174', state: 'Success', start_time: '2021-05-12T17:59:56.383629+00:00' }] },
    });
    const health = await fetch(new URL('/health', url));
    expect(await health.json()).toEqual({ status: 'ok', database: 'pglite' });
    const [, started] = await waitFor(output, /^runview-server: simulated flow run started: (\S+)$/m, finished);
    expect(await waitFor(output, /^runview-server: simulated flow run (\S+) ended (\w+)$/m, finished)).toEqual(expect.arrayContaining([started, 'Success']));
    child.kill('SIGTERM');
    const result = await finished;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('reports a port in use in one line', async () => {
    const blocker: Server = createNetServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = await start(['--port', String(port)]).finished;
      expectOneLineError(result, new RegExp(`^runview-server: port ${port} on 127\\.0\\.0\\.1 is already in use\\n$`));
    } finally {
      blocker.close();
    }
  });

  it('reports an unreachable PostgreSQL in one line, without its password', async () => {
    const result = await start(['--database', 'postgres://runview:s3cret@127.0.0.1:1/runview']).finished;
    expectOneLineError(result, /^runview-server: cannot prepare PostgreSQL at postgres:\/\/runview:\*\*\*@127\.0\.0\.1:1\/runview/);
    expect(result.stderr).not.toContain('s3cret');
  });

  it('reports a malformed API key without echoing it, and bad flags with the usage', async () => {
    const key = await start(['--api-key', 'hunter2:not-a-tenant']).finished;
    expectOneLineError(key, /API key #1/);
    expect(key.stderr).not.toContain('hunter2');
    const fromEnv = await start([], { RUNVIEW_API_KEYS: 'ok-key, hunter3:read:read' }).finished;
    expectOneLineError(fromEnv, /API key #2/);
    const flag = await start(['--port', 'eighty']).finished;
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe('runview-server: --port must be a port number (0-65535), got "eighty" (runview-server --help lists the flags)\n');
    const unknown = await start(['--prot', '1']).finished;
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^runview-server: Unknown option '--prot'.* \(runview-server --help lists the flags\)\n$/);
  });
});
