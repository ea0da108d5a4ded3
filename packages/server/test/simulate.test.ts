// The simulator plays Prefect Core 1.4.1's `prefect register`, local agent and flow and task
// runners against a server over HTTP: every request it sends is one Prefect's own code sends
// (root path, string variables, Prefect's headers, a recorded document and recorded variable
// keys), and the runs it drives end as Prefect Server would have stored them.
import {
  FlowRunByIdDocument,
  FlowRunLogsFirstPageDocument,
  FlowRunStatesDocument,
  MappedTaskRunsDocument,
  TaskRunBySlugDocument,
  TaskRunsPageDocument,
} from '@runview/documents';
import { TaskRunStatesDocument } from '@runview/documents/testing';
import { ConformanceRegisteredFlowDocument, ConformanceRuntimeAgentsDocument, ConformanceRuntimeFlowRunDocument } from '@runview/documents/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../src/index.js';
import { runSimulateCommand, runSimulationLoop, simulateFlowRun, SimulationError, startSimulatedFlowRun, type GraphQLClient } from '../src/simulate/index.js';
import { BACKENDS, startTestServer, type TestServer } from './mutations-harness.js';
import { documentShape, exactMicros, keyPaths, prefectShapes, rootFieldOf, type WireRequest } from './support/prefect-shapes.js';

const EMPTY_TENANT = '7d0e6a55-3f1b-4c2a-8e9d-0a1b2c3d4e5f';
const SHAPES = prefectShapes();
// Prefect's `create_project` (C06) was not recorded: sent only when the project is missing.
const UNRECORDED = new Set(['create_project']);

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    output: { stdout: { write: (text: string) => out.push(text) }, stderr: { write: (text: string) => err.push(text) } },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

/** A fetch that keeps every request it passes on, as it went over the wire. */
function recorder(): { fetch: (request: Request) => Promise<Response>; sent: WireRequest[] } {
  const sent: WireRequest[] = [];
  return {
    sent,
    async fetch(request) {
      const body = JSON.parse(await request.clone().text()) as { query: string; variables: unknown };
      sent.push({ path: new URL(request.url).pathname, headers: Object.fromEntries(request.headers), query: body.query, variables: body.variables });
      return fetch(request);
    },
  };
}

/** Checks a request against what Prefect Core 1.4.1 sends: wire form, document, variable keys. */
function expectSentAsPrefect(request: WireRequest): string {
  const field = rootFieldOf(request.query);
  expect(request.headers['x-prefect-core-version'], field).toBe('1.4.1');
  expect(typeof request.variables, `${field}: variables are a JSON string`).toBe('string');
  expect(request.query, `${field}: anonymous, as Prefect renders it`).toMatch(/^(query|mutation)\s*[({]/);
  if (UNRECORDED.has(field)) return field;
  expect([...(SHAPES.documents.get(field) ?? [])], `${field}: a document Prefect sends`).toContain(documentShape(request.query));
  const recorded = SHAPES.variables.get(field) ?? new Set<string>();
  const extra = [...keyPaths(JSON.parse(request.variables as string) as unknown)].filter((path) => !recorded.has(path));
  expect(extra, `${field}: variable keys Prefect sends`).toEqual([]);
  return field;
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
    it("registers its flow, then plays the agent and the runners, every request as Prefect's", async () => {
      const wire = recorder();
      const events: ChangeEvent[] = [];
      const unsubscribe = test.server.events.subscribe((event) => events.push(event));
      const { flowRunId, state, calls } = await simulateFlowRun({
        url: baseUrl,
        apiKey: 'sim-key',
        stepMs: 0,
        taskCount: 4,
        logsPerTask: 1,
        flowRunName: 'simulated-success',
        fetch: wire.fetch,
      });
      unsubscribe();
      expect(state).toBe('Success');

      // On the wire: Prefect's default endpoint has no path.
      expect(new Set(wire.sent.map((request) => request.path))).toEqual(new Set(['/']));
      const fields = wire.sent.map(expectSentAsPrefect);
      expect([...calls.keys()]).toEqual([...new Set(fields)]);
      expect(fields.slice(0, fields.indexOf('create_flow_run') + 1)).toEqual(
        expect.arrayContaining(['project', 'create_flow_from_compressed_string', 'create_flow_run']),
      );
      // The agent: registered, then every request of it names it; it polls before it submits.
      const agentId = wire.sent.find((request) => request.headers['x-prefect-agent-id'] !== undefined)?.headers['x-prefect-agent-id'];
      const agentFields = wire.sent.filter((request) => request.headers['x-prefect-agent-id'] === agentId).map((request) => rootFieldOf(request.query));
      expect(agentFields).toEqual(['hello', 'get_runs_in_queue', 'flow_run', 'set_flow_run_states', 'write_run_logs']);
      const heartbeats = wire.sent.filter((request) => rootFieldOf(request.query) === 'update_flow_run_heartbeat');
      expect(heartbeats.map((request) => [request.headers['x-prefect-heartbeat-id'], request.variables])).toEqual([
        [flowRunId, 'null'],
        [flowRunId, 'null'],
      ]);
      // Task runs come from get_or_create_task_run_info: extract, the mapped parent, 4 children, load.
      const infos = wire.sent.filter((request) => rootFieldOf(request.query) === 'get_or_create_task_run_info');
      expect(infos.map((request) => /map_index: (-?\d+)/.exec(request.query)?.[1])).toEqual(['-1', '-1', '0', '1', '2', '3', '-1']);
      // Running task states carry the task run's version, the others none.
      const taskStates = wire.sent
        .filter((request) => rootFieldOf(request.query) === 'set_task_run_states')
        .map(
          (request) =>
            (JSON.parse(request.variables as string) as { input: { states: [{ state: { type: string }; version: number | null }] } }).input.states[0],
        );
      expect(taskStates.map((entry) => entry.state.type).sort()).toEqual(['Mapped', ...Array<string>(6).fill('Running'), ...Array<string>(6).fill('Success')]);
      for (const entry of taskStates) expect(entry.state.type === 'Running' ? Number.isInteger(entry.version) : entry.version === null).toBe(true);

      const run = (await api.request(ConformanceRuntimeFlowRunDocument, { id: flowRunId })).flow_run_by_pk;
      expect(run?.states.map((entry) => entry.state)).toEqual(['Scheduled', 'Submitted', 'Running', 'Success']);
      expect(run).toMatchObject({ name: 'simulated-success', state: 'Success', agent_id: agentId, labels: ['runview-simulator'] });
      expect(typeof run?.heartbeat).toBe('string');
      const agents = (await api.request(ConformanceRuntimeAgentsDocument, { where: { id: { _eq: agentId } } })).agent;
      expect(agents).toEqual([
        expect.objectContaining({ name: 'runview-simulator', type: 'LocalAgent', labels: ['runview-simulator'], core_version: '1.4.1' }),
      ]);
      expect(typeof agents[0]?.last_queried).toBe('string');

      // The flow as registered from its compressed form: project, tasks, the mapped edge.
      const [flowRun] = (await api.request(FlowRunByIdDocument, { id: flowRunId })).flow_run;
      const flow = (await api.request(ConformanceRegisteredFlowDocument, { id: flowRun?.flow_id ?? '' })).flow_by_pk;
      expect(flow).toMatchObject({ name: 'etl', version: 1, archived: false, core_version: '1.4.1', project: { name: 'simulator' } });
      expect(flow?.edges.map((edge) => [edge.upstream_task.slug, edge.downstream_task.slug, edge.mapped])).toEqual([
        ['extract-1', 'transform-1', true],
        ['transform-1', 'load-1', false],
      ]);

      const taskRuns = (await api.request(TaskRunsPageDocument, { flowRunId, limit: 100 })).task_run;
      const parents = Object.fromEntries(
        taskRuns.filter((taskRun) => taskRun.map_index === -1).map((taskRun): [string, string | null] => [taskRun.task.slug ?? '', taskRun.state]),
      );
      expect(parents).toEqual({ 'extract-1': 'Success', 'transform-1': 'Mapped', 'load-1': 'Success' });
      const [mapped] = (await api.request(TaskRunBySlugDocument, { flowRunId, slug: 'transform-1' })).task_run;
      expect(mapped?.serialized_state).toMatchObject({ type: 'Mapped', n_map_states: 4 });
      const children = (await api.request(MappedTaskRunsDocument, { flowRunId, slug: 'transform-1', limit: 10 })).task_run;
      expect(children.map((child) => [child.map_index, child.state])).toEqual([0, 1, 2, 3].map((index) => [index, 'Success']));
      const childHistory = (await api.request(TaskRunStatesDocument, { taskRunId: children[0]?.id ?? '' })).task_run_state;
      expect(childHistory.map((entry) => entry.state)).toEqual(['Pending', 'Running', 'Success']);

      // Log lines carry the runner's timestamps, as sent; the last one lands after the final state.
      const logs = (await api.request(FlowRunLogsFirstPageDocument, { flowRunId, limit: 1000 })).log;
      const sentLogs = wire.sent
        .filter((request) => rootFieldOf(request.query) === 'write_run_logs')
        .flatMap((request) => (JSON.parse(request.variables as string) as { input: { logs: { message: string; timestamp?: string }[] } }).input.logs);
      expect(logs).toHaveLength(sentLogs.length);
      const stamped = sentLogs.filter((log) => log.timestamp !== undefined);
      for (const log of stamped) expect(exactMicros(logs.find((stored) => stored.message === log.message)?.timestamp)).toBe(exactMicros(log.timestamp));
      expect(logs.map((log) => log.message)).toEqual(
        expect.arrayContaining(["Beginning Flow run for 'etl'", 'Submitted for execution: PID: ' + String(process.pid)]),
      );
      expect(logs.filter((log) => log.task_run_id !== null).length).toBeGreaterThanOrEqual(6 * 3);
      const late = logs.at(-1);
      expect(late?.message).toBe('Flow run finished; the runner is shutting down.');
      const finalState = (await api.request(FlowRunStatesDocument, { flowRunId })).flow_run_state.at(-1);
      expect(Date.parse(late?.timestamp ?? '')).toBeGreaterThan(Date.parse(finalState?.timestamp ?? ''));

      for (const table of ['flow_run', 'task_run', 'log'] as const) {
        expect(events.some((event) => event.table === table && event.flowRunId === flowRunId)).toBe(true);
      }
    });

    it('registers the flow once: a second simulation runs the same version', async () => {
      const wire = recorder();
      const first = await simulateFlowRun({ url: baseUrl, apiKey: 'sim-key', stepMs: 0, taskCount: 0, logsPerTask: 0 });
      const second = await simulateFlowRun({ url: `${baseUrl}/graphql`, apiKey: 'sim-key', stepMs: 0, taskCount: 0, logsPerTask: 0, fetch: wire.fetch });
      const flowOf = async (id: string) => (await api.request(FlowRunByIdDocument, { id })).flow_run[0]?.flow_id;
      expect(await flowOf(second.flowRunId)).toBe(await flowOf(first.flowRunId));
      // A URL with a path is posted to as given; the project exists now, so nothing creates it.
      expect(new Set(wire.sent.map((request) => request.path))).toEqual(new Set(['/graphql']));
      expect(second.calls.has('create_project')).toBe(false);
    });

    it('drives a run to Failed: the last child fails with an ERROR log and load does not run', async () => {
      const { flowRunId, state } = await simulateFlowRun({ url: baseUrl, apiKey: 'sim-key', stepMs: 0, taskCount: 2, logsPerTask: 0, outcome: 'Failed' });
      expect(state).toBe('Failed');
      expect(await historyOf(flowRunId)).toEqual(['Scheduled', 'Submitted', 'Running', 'Failed']);
      const children = (await api.request(MappedTaskRunsDocument, { flowRunId, slug: 'transform-1', limit: 10 })).task_run;
      expect(children.map((child) => child.state)).toEqual(['Success', 'Failed']);
      const history = (await api.request(TaskRunStatesDocument, { taskRunId: children[1]?.id ?? '' })).task_run_state;
      expect(history.at(-1)?.message).toBe("Error during execution of task: ValueError('simulated failure in transform[1]')");
      const [load] = (await api.request(TaskRunBySlugDocument, { flowRunId, slug: 'load-1' })).task_run;
      expect(load?.state).toBe('TriggerFailed');
      const errors = (await api.request(FlowRunLogsFirstPageDocument, { flowRunId, filter: { level: { _eq: 'ERROR' } }, limit: 10 })).log;
      expect(errors.map((log) => log.task_run_id)).toContain(children[1]?.id);
      expect(errors.find((log) => log.task_run_id === children[1]?.id)?.message).toMatch(/Exception encountered during task execution!\nTraceback/);
    });

    it("uploads logs on a timer as Prefect's handler does: lines land after the states they precede", async () => {
      const wire = recorder();
      // An upload interval longer than the run: everything goes out in the exit upload.
      const { flowRunId } = await simulateFlowRun({
        url: baseUrl,
        apiKey: 'sim-key',
        stepMs: 0,
        taskCount: 2,
        logsPerTask: 1,
        logUploadMs: 600_000,
        fetch: wire.fetch,
      });
      const fields = wire.sent.map((request) => rootFieldOf(request.query));
      expect(fields.filter((field) => field === 'write_run_logs')).toHaveLength(2);
      expect(fields.at(-1)).toBe('write_run_logs');
      expect(fields.at(-2)).toBe('set_flow_run_states');
      const finalState = (await api.request(FlowRunStatesDocument, { flowRunId })).flow_run_state.at(-1);
      const logs = (await api.request(FlowRunLogsFirstPageDocument, { flowRunId, limit: 1000 })).log;
      const before = logs.filter((log) => Date.parse(log.timestamp) < Date.parse(finalState?.timestamp ?? ''));
      expect(before.map((log) => log.message)).toEqual(
        expect.arrayContaining(["Beginning Flow run for 'etl'", 'Flow run SUCCESS: all reference tasks succeeded']),
      );
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

    it("runs in the key's own tenant, without the demo data; a refused key and a bad URL are reported clearly", async () => {
      const own = await simulateFlowRun({ url: baseUrl, apiKey: 'empty-tenant-key', stepMs: 0, taskCount: 1, logsPerTask: 0 });
      expect(own.state).toBe('Success');
      expect(own.calls.get('create_project')).toBe(1);
      expect((await test.client('empty-tenant-key').request(ConformanceRuntimeFlowRunDocument, { id: own.flowRunId })).flow_run_by_pk?.state).toBe('Success');
      expect((await api.request(FlowRunByIdDocument, { id: own.flowRunId })).flow_run).toEqual([]);

      const refused = simulateFlowRun({ url: baseUrl, apiKey: 'wrong-key', stepMs: 0 });
      await expect(refused).rejects.toBeInstanceOf(SimulationError);
      await expect(refused).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      await expect(simulateFlowRun({ url: 'ftp://example.com', stepMs: 0 })).rejects.toThrow(/expected http:\/\/ or https:\/\//);
    });
  });

  describe.skipIf(backend.skip)('runview-server simulate', () => {
    it('runs one simulation and prints its outcome and the requests it sent', async () => {
      const io = capture();
      const code = await runSimulateCommand(['--url', baseUrl, '--step-ms', '0', '--tasks', '1', '--outcome', 'failed', '--log-upload-ms', '5000'], io.output, {
        env: { RUNVIEW_API_KEY: 'sim-key' },
      });
      expect(io.stderr()).toBe('');
      expect(code).toBe(0);
      expect(io.stdout()).toMatch(
        /^Flow run [0-9a-f-]{36} finished: Failed\n\d+ requests, as Prefect Core's register, agent and flow runner send them: .*register_agent, .*get_runs_in_queue.*get_or_create_task_run_info ×4/,
      );
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

    it('one at a time (serve --simulate): the next run starts only after the last one ended', async () => {
      const events: string[] = [];
      await runSimulationLoop({
        url: baseUrl,
        apiKey: 'sim-key',
        stepMs: 0,
        taskCount: 0,
        logsPerTask: 0,
        everySeconds: 0.001,
        oneAtATime: true,
        count: 3,
        signal: new AbortController().signal,
        onStart: () => events.push('start'),
        onFinish: (_id, state) => events.push(`end ${state}`),
        onError: (error) => events.push(`error ${String(error)}`),
      });
      expect(events).toEqual(['start', 'end Success', 'start', 'end Success', 'start', 'end Success']);
    });

    it('refuses bad options with the usage and exit code 2, and a refused key with 1', async () => {
      for (const argv of [['--tasks', 'many'], ['--outcome', 'Maybe'], ['--count', '2'], ['--log-upload-ms', '0'], ['--bogus']]) {
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
