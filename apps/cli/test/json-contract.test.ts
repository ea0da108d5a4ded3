// The `--json` contract: every command's JSON output (documents, JSON lines, errors on stderr)
// validates against the JSON Schema the CLI ships, with one envelope and one timestamp format.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { runMain, startMain } from './support/in-process.js';
import { expectValidJson, expectValidJsonLines } from './support/json-schema.js';
import { demoDataCopy, SEED_FLOW_RUN_ID, simulate, useDemoServer } from './support/server.js';

const api = useDemoServer();
const json = (...args: string[]) => runMain(['--json', '--endpoint', api.url, ...args]);

/** Every timestamp-like string of a value: they must all be in the one format. */
function timestamps(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:/.test(value)) found.push(value);
  else if (Array.isArray(value)) for (const item of value) timestamps(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) if (key !== 'serializedState' && key !== 'parameters' && key !== 'context') timestamps(item, found);
  }
  return found;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runview-json-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--json', () => {
  it('runs, inspect, tasks and flow print one envelope each, states flat and times in one format', async () => {
    const results = await Promise.all([
      json('runs'),
      json('runs', '--name', 'cosmic', '--project', 'default'),
      json('inspect', SEED_FLOW_RUN_ID),
      json('inspect', '--name', 'cosmic-narwhal', '--expand'),
      json('tasks', '--name', 'cosmic-narwhal'),
      json('flow', '--name', 'hello-world'),
    ]);
    const types = [];
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const document = expectValidJson(result.stdout);
      types.push(document.type);
      for (const time of timestamps(document.data)) expect(time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    }
    expect(types).toEqual(['flowRuns', 'flowRuns', 'flowRun', 'flowRun', 'taskRuns', 'flow']);
    const inspection = JSON.parse(results[2].stdout) as { data: { flowRun: { state: string; stateMessage: string; serializedState: { type: string } } } };
    expect(inspection.data.flowRun).toMatchObject({ state: 'Success', stateMessage: 'All reference tasks succeeded.', serializedState: { type: 'Success' } });
  });

  it('logs and watch print JSON lines, each in the envelope', async () => {
    const logs = await json('logs', SEED_FLOW_RUN_ID);
    expect(logs.code).toBe(0);
    const lines = expectValidJsonLines(logs.stdout);
    expect(lines.map((line) => line.type)).toEqual(Array(6).fill('log'));
    expect(lines[0]?.data).toMatchObject({ timestamp: '1978-03-08T22:30:00.000000Z', levelName: 'INFO' });

    // The run starts once the watch has printed its first line: it is watched live.
    let start: () => void = () => undefined;
    const run = await simulate(api.url, 'Failed', { startWhen: new Promise<void>((resolve) => (start = resolve)) });
    const watched = await runMain(['--json', '--endpoint', api.url, 'watch', run.flowRunId, '--interval', '300ms'], {
      onStdout: () => {
        start();
      },
    });
    await run.done;
    expect(watched.code).toBe(1);
    const events = expectValidJsonLines(watched.stdout);
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(['state', 'taskRun', 'log', 'result']));
    expect(events.at(-1)).toMatchObject({ type: 'result', data: { exitCode: 1, flowRun: { state: 'Failed' } } });
  });

  it('schema check and schema pull', async () => {
    const contract = await readFile(new URL('../../../schema.graphql', import.meta.url), 'utf8');
    const file = join(dir, 'contract.graphql');
    await writeFile(file, contract);
    const check = await runMain(['schema', 'check', '--schema', file, '--json']);
    expect(check.code).toBe(0);
    expect(expectValidJson(check.stdout).type).toBe('schemaCheck');
    const pull = await json('schema', 'pull');
    expect(pull.code).toBe(0);
    expect(expectValidJson(pull.stdout)).toMatchObject({ type: 'schema', data: { sdl: expect.stringContaining('type flow_run {') as unknown } });
  });

  it('errors are one JSON document on stderr, with the exit code', async () => {
    const cases: [string[], string, number][] = [
      [['inspect', '--name', 'no-such-run-anywhere'], 'NOT_FOUND', 3],
      [['inspect', 'not-a-uuid'], 'USAGE', 2],
      [['inspect', SEED_FLOW_RUN_ID, '--bogus'], 'USAGE', 2],
      [['runs', '--state', 'Exploded'], 'USAGE', 2],
    ];
    for (const [args, code, exitCode] of cases) {
      const result = await json(...args);
      expect(result.stdout).toBe('');
      expect(result.code).toBe(exitCode);
      expect(expectValidJson(result.stderr.trim())).toMatchObject({ type: 'error', error: { code, exitCode } });
    }
    // From the binary too: the envelope is all stderr holds.
    const unreachable = await runCli(['runs', '--json', '--endpoint', 'http://127.0.0.1:9/graphql']);
    expect(unreachable.code).toBe(4);
    expect(expectValidJson(unreachable.stderr.trim())).toMatchObject({ type: 'error', error: { code: 'TRANSPORT', exitCode: 4 } });
  });

  it('serve --json prints where it listens', async () => {
    const data = demoDataCopy();
    try {
      const serving = startMain(['serve', '--port', '0', '--json', '--database', data.directory]);
      const line = await serving.stdoutMatching(/\n/);
      serving.stop();
      const result = await serving.result;
      expect(result.code).toBe(0);
      // Nothing but the JSON line: no progress lines in JSON mode.
      expect(result.stderr).toBe('');
      expect(expectValidJson(line.trim())).toMatchObject({ type: 'server', data: { host: '127.0.0.1' } });
    } finally {
      data.remove();
    }
  });
});
