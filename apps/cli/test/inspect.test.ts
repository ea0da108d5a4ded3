import { describe, expect, it } from 'vitest';
import { runMain } from './support/in-process.js';
import { SEED_FLOW_RUN_ID, sharedDemoServer } from './support/server.js';

const api = sharedDemoServer();

/** The demo's mapped run: 50 `transform` children, 3 of them failed. */
const MAPPED_FLOW_RUN = 'cosmic-narwhal';

describe('runview inspect', () => {
  it("shows the seed flow run's state, flow, task runs and logs in one request", async () => {
    const result = await runMain(['inspect', SEED_FLOW_RUN_ID, '--debug'], { env: { RUNVIEW_API_URL: api.url } });
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/^hitchhiking-dolphin {2}4c0101af-c6bb-4b96-8661-63a5bbfb5596$/m);
    expect(out).toMatch(/^State\s+Success: All reference tasks succeeded\.$/m);
    expect(out).toMatch(/^\s+Name\s+hello-world {2}8bdcf5b5-7598-49d1-a885-61612ca550de$/m);
    expect(out).toMatch(/^\s+Project\s+default$/m);
    expect(out).toMatch(/^\s+Storage\s+Module$/m);
    for (const slug of ['say_hello-1', 'say_hello-2', 'say_hello-3']) expect(out).toMatch(new RegExp(`^\\s+${slug}\\s+-\\s+Success\\s`, 'm'));
    // The seed document's log lines, in Prefect's format (in UTC: the config sets TZ).
    // The date on the first line and where it changes (the run spans five weeks).
    expect(out).toContain('  1978-03-08 22:30:00 | INFO    | Submitted for execution: Task XXXXXXX');
    expect(out).toContain("  22:30:01 | INFO    | Beginning Flow run for 'radio_show'");
    expect(out).toContain("  1978-04-12 22:59:59 | INFO    | Task 'series_one': Finished task run");
    expect(out).toContain('  23:00:00 | INFO    | Flow run SUCCESS: all reference tasks succeeded');
    expect(result.stderr).toBe(`debug: 1 request to ${api.url}\n`);
  });

  it('summarises a mapped task by state in two requests, and lists its children with --expand', async () => {
    const id = await flowRunIdOf(MAPPED_FLOW_RUN);
    const summary = await runMain(['inspect', id, '--debug', '--logs', '2'], { env: { RUNVIEW_API_URL: api.url } });
    expect(summary.code).toBe(0);
    expect(summary.stdout).toMatch(/└ 50 children\s+47 Success, 3 Failed/);
    expect(summary.stdout).toMatch(/^Logs \(last 2 of \d+\)$/m);
    expect(summary.stderr).toBe(`debug: 2 requests to ${api.url}\n`);

    const expanded = await runMain(['inspect', '--name', MAPPED_FLOW_RUN, '--expand'], { env: { RUNVIEW_API_URL: api.url } });
    expect(expanded.code).toBe(0);
    const children = expanded.stdout.split('\n').filter((line) => /^\s{4}transform-1\s+\d+\s/.test(line));
    expect(children).toHaveLength(50);
    expect(children.filter((line) => /\sFailed\s/.test(line))).toHaveLength(3);
  });

  it('prints one JSON document built from the views with --json', async () => {
    const result = await runMain(['inspect', SEED_FLOW_RUN_ID, '--json', '--endpoint', api.url]);
    expect(result.code).toBe(0);
    const json = (JSON.parse(result.stdout) as { data: unknown }).data as {
      flowRun: { flowRunId: string; name: string; state: string; stateMessage: string; serializedState: { type: string; message: string } };
      flow: { name: string; storageType: string };
      taskRuns: { taskSlug: string }[];
      logs: { message: string; levelName: string }[];
      logCount: number;
    };
    expect(json.flowRun.flowRunId).toBe(SEED_FLOW_RUN_ID);
    expect(json.flowRun).toMatchObject({
      state: 'Success',
      stateMessage: 'All reference tasks succeeded.',
      serializedState: { type: 'Success', message: 'All reference tasks succeeded.' },
    });
    expect(json.flow).toMatchObject({ name: 'hello-world', storageType: 'Module' });
    expect(json.taskRuns.map((taskRun) => taskRun.taskSlug).sort()).toEqual(['say_hello-1', 'say_hello-2', 'say_hello-3']);
    expect(json.logs).toHaveLength(json.logCount);
    expect(json.logs.at(-1)?.message).toBe('Flow run SUCCESS: all reference tasks succeeded');
  });
});

async function flowRunIdOf(name: string): Promise<string> {
  const result = await runMain(['runs', '--name', name, '--json', '--endpoint', api.url]);
  const list = JSON.parse(result.stdout) as { data: { flowRuns: { flowRunId: string }[] } };
  const id = list.data.flowRuns[0]?.flowRunId;
  if (id === undefined) throw new Error(`no flow run named ${name}`);
  return id;
}
