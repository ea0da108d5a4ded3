// Prefect's words: --name wherever a run is named (exact first, else the only run whose name
// contains it), runs --project, log lines with their date, --task on a mapped task, tables
// that fit 80 columns, and a progressed run's mapped children replayed in order.
import { describe, expect, it } from 'vitest';
import { runMain } from './support/in-process.js';
import { SEED_FLOW_RUN_ID, sharedDemoServer, WOODOO_LEOPARD_ID } from './support/server.js';
import { stripAnsi } from '../src/output/table.js';

const api = sharedDemoServer();
const cli = (...args: string[]) => runMain(['--endpoint', api.url, ...args]);
const COSMIC_NARWHAL = 'f169eb3a-5a85-44de-8622-e2c40a967a20';

describe('--name', () => {
  it('finds a run by a part of its name in inspect, logs, watch and tasks', async () => {
    const [inspect, logs, watch, tasks] = await Promise.all([
      cli('inspect', '--name', 'narwhal', '--logs', '0'),
      cli('logs', '--name', 'COSMIC', '--head', '1'),
      cli('watch', '--name', 'cosmic-n'),
      cli('tasks', '--name', 'osmic-narw', '--state', 'failed'),
    ]);
    expect(inspect.code).toBe(0);
    expect(inspect.stdout).toMatch(new RegExp(`^cosmic-narwhal {2}${COSMIC_NARWHAL}$`, 'm'));
    expect(logs.code).toBe(0);
    expect(logs.stdout.trimEnd().split('\n')).toHaveLength(1);
    // A finished failed run: watch replays it and exits 1.
    expect(watch.code).toBe(1);
    expect(watch.stdout).toMatch(/Flow run cosmic-narwhal ended in state Failed/);
    expect(tasks.code).toBe(0);
    expect(tasks.stdout.trimEnd().split('\n').slice(1)).toHaveLength(3);
  });

  it('takes the exact name first, lists the candidates of an ambiguous part, and says when nothing matches', async () => {
    const exact = await cli('runs', '--name', 'woodoo-leopard');
    expect(exact.stdout).toMatch(new RegExp(`^woodoo-leopard\\s+${WOODOO_LEOPARD_ID}\\s`, 'm'));
    const several = await cli('inspect', '--name', 'o');
    expect(several.code).toBe(3);
    expect(several.stderr).toMatch(
      /^error: Found \d+ flow runs where name = "o": .*woodoo-leopard.* flow run names contain "o": give more of the name, or the id\.\n$/,
    );
    const none = await cli('logs', '--name', 'no-such-run-anywhere');
    expect(none.code).toBe(3);
    expect(none.stderr).toBe('error: No flow run is named "no-such-run-anywhere" or has a name containing it.\n');
    const both = await cli('watch', SEED_FLOW_RUN_ID, '--name', 'x');
    expect(both.code).toBe(2);
  });

  it('runs --name searches by substring, exact match first; --exact and --project narrow it', async () => {
    const search = await cli('runs', '--name', 'L', '--json');
    const names = (JSON.parse(search.stdout) as { data: { flowRuns: { name: string }[] } }).data.flowRuns.map((run) => run.name);
    expect(names.length).toBeGreaterThan(1);
    for (const name of names) expect(name.toLowerCase()).toContain('l');
    const exactFirst = await cli('runs', '--name', 'woodoo-leopard', '--json');
    expect((JSON.parse(exactFirst.stdout) as { data: { flowRuns: { name: string }[] } }).data.flowRuns[0]?.name).toBe('woodoo-leopard');
    const exact = await cli('runs', '--name', 'woodoo', '--exact');
    expect(exact.stdout).toBe('No flow runs match.\n');
    const inProject = await cli('runs', '--project', 'default', '--json');
    expect((JSON.parse(inProject.stdout) as { data: { total: number } }).data.total).toBeGreaterThan(0);
    const elsewhere = await cli('runs', '--project', 'no-such-project');
    expect(elsewhere.stdout).toBe('No flow runs match.\n');
  });
});

describe('log lines', () => {
  it('show the date on the first line and when it changes, or on every line with --timestamps full', async () => {
    const lines = (await cli('logs', SEED_FLOW_RUN_ID)).stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.slice(0, line.indexOf(' |')))).toEqual([
      '1978-03-08 22:30:00',
      '22:30:01',
      '22:30:02',
      '22:42:42',
      '1978-04-12 22:59:59',
      '23:00:00',
    ]);
    const full = (await cli('logs', SEED_FLOW_RUN_ID, '--timestamps', 'full')).stdout.trimEnd().split('\n');
    for (const line of full) expect(line).toMatch(/^1978-0[34]-\d{2} \d{2}:\d{2}:\d{2} \| INFO {4}\| /);
  });

  it('--task on a mapped task shows its children; --map-index picks one; unknown ones list what exists', async () => {
    const mapped = await cli('logs', COSMIC_NARWHAL, '--task', 'transform-1');
    expect(mapped.code).toBe(0);
    const errors = mapped.stdout.split('\n').filter((line) => /\| ERROR {3}\| Task 'transform\[\d+\]'/.test(line));
    expect(errors).toHaveLength(3);
    const one = await cli('logs', COSMIC_NARWHAL, '--task', 'transform-1', '--map-index', '7');
    expect(one.stdout).toMatch(/transform\[7\]/);
    expect(one.stdout).not.toMatch(/transform\[23\]/);
    const beyond = await cli('logs', COSMIC_NARWHAL, '--task', 'transform-1', '--map-index', '50');
    expect(beyond.code).toBe(3);
    expect(beyond.stderr).toBe('error: Task transform-1 of flow run cosmic-narwhal has no map index 50: it has 50 mapped children (--map-index 0 to 49).\n');
    const unknown = await cli('logs', COSMIC_NARWHAL, '--task', 'transform');
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toBe('error: Flow run cosmic-narwhal has no task "transform": its tasks are extract-1, load-1, transform-1.\n');
  });
});

describe('tables', () => {
  it('fit 80 columns, shortening ids before names', async () => {
    for (const args of [['runs'], ['tasks', COSMIC_NARWHAL], ['inspect', SEED_FLOW_RUN_ID]]) {
      const result = await runMain(['--endpoint', api.url, ...args], { columns: 80, env: { NO_COLOR: '1' } });
      expect(result.code).toBe(0);
      for (const line of result.stdout.split('\n').filter((row) => !/^\s*\d{4}-\d{2}-\d{2} |^\s*\d{2}:\d{2}:\d{2} \|/.test(row))) {
        expect(stripAnsi(line).length, line).toBeLessThanOrEqual(80);
      }
    }
    const runs = await runMain(['--endpoint', api.url, 'runs'], { columns: 80, env: { NO_COLOR: '1' } });
    expect(runs.stdout).toMatch(/^woodoo-leopard +8e445d74… /m);
    expect(runs.stdout).toMatch(/^cosmic-narwhal +f169eb3a… /m);
  });
});

describe('watch', () => {
  it("replays a progressed run's mapped children in map-index order, summarised by state", async () => {
    const result = await cli('watch', COSMIC_NARWHAL);
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n').filter((line) => line.includes('transform-1['));
    // The 50 children's first state in one line; the runs of successes counted; the 3 failures listed in order.
    expect(lines[0]).toMatch(/\| TASK {4}\| Task run transform-1\[0-49\]: 50 mapped children entered state <Pending>$/);
    const successes = lines.map(
      (line) => /: (\d+) mapped children entered state <Success>/.exec(line)?.[1] ?? /transform-1\[\d+\] entered state <Success>/.exec(line)?.[0],
    );
    expect(successes.reduce((sum: number, found) => sum + (found === undefined ? 0 : /^\d+$/.test(found) ? Number(found) : 1), 0)).toBe(47);
    expect(lines.length).toBeLessThan(20);
    const failed = lines.filter((line) => /Task run transform-1\[\d+\] entered state <Failed>/.test(line)).map((line) => Number(/\[(\d+)\]/.exec(line)?.[1]));
    expect(failed).toHaveLength(3);
    expect(failed).toEqual([...failed].sort((a, b) => a - b));
  });
});
