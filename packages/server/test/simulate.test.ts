import {
  FlowRunByIdDocument,
  FlowRunLogsFirstPageDocument,
  FlowRunStatesDocument,
  MappedTaskRunsDocument,
  TaskRunBySlugDocument,
  TaskRunStatesDocument,
  TaskRunsPageDocument,
} from '@runview/documents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../src/index.js';
import { runSimulateCommand, simulateFlowRun, SimulationError, startSimulatedFlowRun, type GraphQLClient } from '../src/simulate/index.js';
import { BACKENDS, startTestServer, type TestServer } from './mutations-harness.js';

const EMPTY_TENANT = '7d0e6a55-3f1b-4c2a-8e9d-0a1b2c3d4e5f';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    output: { stdout: { write: (text: string) => out.push(text) }, stderr: { write: (text: string) => err.push(text) } },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

describe.each(BACKENDS)('the simulator on $name', (backend) => {
  let test: TestServer;
  let api: GraphQLClient;
  let baseUrl: string;

  beforeAll(async () => {
    if (backend.skip) return;
    test = await startTestServer(backend, { seed: 'demo', apiKeys: ['sim-key', `empty-tenant-key:${EMPTY_TENANT}`] });
    api = test.client('sim-key');
    const address = await test.server.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${String(address.port)}`;
  }, 120_000);

  afterAll(async () => {
    if (!backend.skip) await test.close();
  });

  async function historyOf(flowRunId: string): Promise<string[]> {
    return (await api.request(FlowRunStatesDocument, { flowRunId })).flow_run_state.map((state) => state.state);
  }

  describe.skipIf(backend.skip)('over HTTP', () => {
    it('drives a run to Success with its task runs, mapped children and logs, and a late log', async () => {
      const events: ChangeEvent[] = [];
      const unsubscribe = test.server.events.subscribe((event) => events.push(event));
      const { flowRunId, state } = await simulateFlowRun({ url: baseUrl, apiKey: 'sim-key', stepMs: 0, taskCount: 4, logsPerTask: 1, flowRunName: 'simulated-success' });
      unsubscribe();
      expect(state).toBe('Success');
      expect(await historyOf(flowRunId)).toEqual(['Scheduled', 'Submitted', 'Running', 'Success']);
      const [run] = (await api.request(FlowRunByIdDocument, { id: flowRunId })).flow_run;
      expect(run).toMatchObject({ name: 'simulated-success', state: 'Success', state_message: 'All reference tasks succeeded.' });

      const taskRuns = (await api.request(TaskRunsPageDocument, { flowRunId, limit: 100 })).task_run;
      const parents = Object.fromEntries(taskRuns.filter((taskRun) => taskRun.map_index === -1).map((taskRun): [string, string | null] => [taskRun.task.slug ?? '', taskRun.state]));
      expect(parents).toEqual({ 'extract-1': 'Success', 'transform-1': 'Mapped', 'load-1': 'Success' });
      const [mapped] = (await api.request(TaskRunBySlugDocument, { flowRunId, slug: 'transform-1' })).task_run;
      expect(mapped?.serialized_state).toMatchObject({ type: 'Mapped', n_map_states: 4 });
      const children = (await api.request(MappedTaskRunsDocument, { flowRunId, slug: 'transform-1', limit: 10 })).task_run;
      expect(children.map((child) => [child.map_index, child.state])).toEqual([0, 1, 2, 3].map((index) => [index, 'Success']));
      const childHistory = (await api.request(TaskRunStatesDocument, { taskRunId: children[0]?.id ?? '' })).task_run_state;
      expect(childHistory.map((entry) => entry.state)).toEqual(['Pending', 'Running', 'Success']);

      const logs = (await api.request(FlowRunLogsFirstPageDocument, { flowRunId, limit: 1000 })).log;
      expect(logs.map((log) => log.message)).toContain("Beginning Flow run for 'etl'");
      expect(logs.filter((log) => log.task_run_id !== null).length).toBeGreaterThanOrEqual(6 * 3);
      const late = logs.at(-1);
      expect(late?.message).toBe('Flow run finished; the runner is shutting down.');
      const finalState = (await api.request(FlowRunStatesDocument, { flowRunId })).flow_run_state.at(-1);
      expect(Date.parse(late?.timestamp ?? '')).toBeGreaterThan(Date.parse(finalState?.timestamp ?? ''));

      for (const table of ['flow_run', 'task_run', 'log'] as const) {
        expect(events.some((event) => event.table === table && event.flowRunId === flowRunId)).toBe(true);
      }
    });

    it('drives a run to Failed: the last child fails with an ERROR log and load does not run', async () => {
      const { flowRunId, state } = await simulateFlowRun({ url: `${baseUrl}/graphql`, apiKey: 'sim-key', stepMs: 0, taskCount: 2, logsPerTask: 0, outcome: 'Failed' });
      expect(state).toBe('Failed');
      expect(await historyOf(flowRunId)).toEqual(['Scheduled', 'Submitted', 'Running', 'Failed']);
      const children = (await api.request(MappedTaskRunsDocument, { flowRunId, slug: 'transform-1', limit: 10 })).task_run;
      expect(children.map((child) => child.state)).toEqual(['Success', 'Failed']);
      const [load] = (await api.request(TaskRunBySlugDocument, { flowRunId, slug: 'load-1' })).task_run;
      expect(load?.state).toBe('TriggerFailed');
      const errors = (await api.request(FlowRunLogsFirstPageDocument, { flowRunId, filter: { level: { _eq: 'ERROR' } }, limit: 10 })).log;
      expect(errors.map((log) => log.task_run_id)).toContain(children[1]?.id);
    });

    it('returns right after creating the run, and cancels it when aborted', async () => {
      const controller = new AbortController();
      // Steps an hour apart: the run stays Scheduled until it is aborted.
      const run = await startSimulatedFlowRun({ url: baseUrl, apiKey: 'sim-key', stepMs: 3_600_000, signal: controller.signal });
      expect(await historyOf(run.flowRunId)).toEqual(['Scheduled']);
      controller.abort();
      expect(await run.done).toBe('Cancelled');
      expect(await historyOf(run.flowRunId)).toEqual(['Scheduled', 'Cancelled']);
      const taskRuns = (await api.request(TaskRunsPageDocument, { flowRunId: run.flowRunId, limit: 10 })).task_run;
      expect(taskRuns.map((taskRun) => taskRun.state)).toEqual(['Cancelled', 'Cancelled', 'Cancelled']);
    });

    it('holds a run in Scheduled until startWhen settles, then drives it', async () => {
      let release = (): void => undefined;
      const startWhen = new Promise<void>((resolve) => {
        release = resolve;
      });
      const run = await startSimulatedFlowRun({ url: baseUrl, apiKey: 'sim-key', stepMs: 0, taskCount: 1, logsPerTask: 0, startWhen });
      // Let any step that should not happen yet have its chance to land.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await historyOf(run.flowRunId)).toEqual(['Scheduled']);
      expect((await api.request(FlowRunLogsFirstPageDocument, { flowRunId: run.flowRunId, filter: {}, limit: 10 })).log).toEqual([]);
      release();
      expect(await run.done).toBe('Success');
      expect(await historyOf(run.flowRunId)).toEqual(['Scheduled', 'Submitted', 'Running', 'Success']);
    });

    it('reports a refused key and a server without the demo flow clearly', async () => {
      const refused = simulateFlowRun({ url: baseUrl, apiKey: 'wrong-key', stepMs: 0 });
      await expect(refused).rejects.toBeInstanceOf(SimulationError);
      await expect(refused).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      // A tenant without the demo data is a server that was not seeded, as far as it can tell.
      const unseeded = simulateFlowRun({ url: baseUrl, apiKey: 'empty-tenant-key', stepMs: 0 });
      await expect(unseeded).rejects.toThrow(/start the server with --seed demo/);
      await expect(simulateFlowRun({ url: 'ftp://example.com', stepMs: 0 })).rejects.toThrow(/expected http:\/\/ or https:\/\//);
    });
  });

  describe.skipIf(backend.skip)('runview-server simulate', () => {
    it('runs one simulation and prints its outcome', async () => {
      const io = capture();
      const code = await runSimulateCommand(['--url', baseUrl, '--step-ms', '0', '--tasks', '1', '--outcome', 'failed'], io.output, { env: { RUNVIEW_API_KEY: 'sim-key' } });
      expect(io.stderr()).toBe('');
      expect(code).toBe(0);
      expect(io.stdout()).toMatch(/^Flow run [0-9a-f-]{36} finished: Failed\n$/);
    });

    it('starts a run every N seconds until the count is reached', async () => {
      const io = capture();
      const code = await runSimulateCommand(
        ['--url', baseUrl, '--api-key', 'sim-key', '--step-ms', '0', '--tasks', '0', '--logs-per-task', '0', '--every', '0.01', '--count', '2'],
        io.output,
        { env: {} },
      );
      expect(io.stderr()).toBe('');
      expect(code).toBe(0);
      expect(io.stdout().match(/started/g)).toHaveLength(2);
      expect(io.stdout().match(/finished: Success/g)).toHaveLength(2);
    });

    it('refuses bad options with the usage and exit code 2, and a refused key with 1', async () => {
      for (const argv of [['--tasks', 'many'], ['--outcome', 'Maybe'], ['--count', '2'], ['--bogus']]) {
        const io = capture();
        expect(await runSimulateCommand(argv, io.output, { env: {} })).toBe(2);
        expect(io.stderr()).toContain('Usage: runview-server simulate');
      }
      const io = capture();
      expect(await runSimulateCommand(['--url', baseUrl, '--step-ms', '0'], io.output, { env: {} })).toBe(1);
      expect(io.stderr()).toMatch(/^runview-server simulate: .+\n$/);
      expect(io.stderr()).not.toMatch(/\n\s+at /);
    });
  });
});
