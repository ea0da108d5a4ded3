import { describe, expect, it } from 'vitest';
import { runMain } from './support/in-process.js';
import { sharedDemoServer, WOODOO_LEOPARD_ID } from './support/server.js';

const api = sharedDemoServer();

const cli = (...args: string[]) => runMain(['--endpoint', api.url, ...args]);

describe('runview runs', () => {
  it("answers the seed document's by-name query", async () => {
    const result = await cli('runs', '--name', 'woodoo-leopard');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+ID\s+STATE\s+FLOW\s+STARTED\s+DURATION\s+MESSAGE$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^woodoo-leopard\\s+${WOODOO_LEOPARD_ID}\\s+Success\\s+hello-world\\s+2021-05-12 17:59:56\\s`)),
    ]);
  });

  it('filters by state, newest first, and prints JSON', async () => {
    const result = await cli('runs', '--state', 'failed', '--json');
    expect(result.code).toBe(0);
    const list = (JSON.parse(result.stdout) as { data: { flowRuns: { name: string; state: string; scheduledStartTime: string }[]; total: number } }).data;
    expect(list.flowRuns.length).toBeGreaterThan(0);
    expect(list.total).toBe(list.flowRuns.length);
    expect(list.flowRuns.every((run) => run.state === 'Failed')).toBe(true);
    const times = list.flowRuns.map((run) => Date.parse(run.scheduledStartTime));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('limits the list and says how many there are', async () => {
    const result = await cli('runs', '--limit', '1');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^1 of \d+ shown \(--limit to see more\)$/m);
  });

  it('rejects a state Prefect does not have', async () => {
    const result = await cli('runs', '--state', 'Exploded');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --state: "Exploded" is not a Prefect state/);
  });
});

describe('runview tasks', () => {
  it("lists a mapped run's children and filters them by state", async () => {
    const runs = JSON.parse((await cli('runs', '--name', 'cosmic-narwhal', '--json')).stdout) as { data: { flowRuns: { flowRunId: string }[] } };
    const id = runs.data.flowRuns[0]?.flowRunId ?? '';
    const failed = await cli('tasks', id, '--state', 'failed');
    expect(failed.code).toBe(0);
    const rows = failed.stdout.trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatch(/^transform-1\s+\d+\s+Failed\s/);

    const all = await cli('tasks', id, '--json');
    const taskRuns = (JSON.parse(all.stdout) as { data: { taskRuns: { mapIndex: number }[] } }).data.taskRuns;
    expect(taskRuns.filter((taskRun) => taskRun.mapIndex >= 0)).toHaveLength(50);
  });
});

describe('runview flow', () => {
  it("shows the seed flow's metadata by name and project, with its recent runs", async () => {
    const result = await cli('flow', '--name', 'hello-world', '--project', 'default');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^hello-world {2}8bdcf5b5-7598-49d1-a885-61612ca550de$/m);
    expect(result.stdout).toMatch(/^Storage\s+Module$/m);
    expect(result.stdout).toMatch(/^Project\s+default$/m);
    expect(result.stdout).toMatch(/woodoo-leopard\s+8e445d74-9ca6-425b-98e5-72754b7ea174\s+Success/);
  });

  it('prints the FlowView JSON by id', async () => {
    const result = await cli('flow', '8bdcf5b5-7598-49d1-a885-61612ca550de', '--json', '--runs', '0');
    expect(result.code).toBe(0);
    const json = (JSON.parse(result.stdout) as { data: { flow: { flowId: string; name: string; projectName: string } } }).data;
    expect(json.flow).toMatchObject({ flowId: '8bdcf5b5-7598-49d1-a885-61612ca550de', name: 'hello-world', projectName: 'default' });
  });
});
