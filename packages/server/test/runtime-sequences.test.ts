// Prefect Core 1.4.1's agent, flow runner and task runner, replayed byte for byte: the bodies
// of the recorded success-path sequences (string `variables`, literal arguments, the root path
// of Prefect's default endpoint, its headers), with the recording's ids swapped for this
// server's, every answer checked against what Prefect reads, and the runs afterwards checked
// against what Prefect Server would have stored.
import { CreateFlowRunDocument } from '@runview/documents/testing';
import { ConformanceRuntimeFlowRunDocument, ConformanceRuntimeMappedChildrenDocument, ConformanceRuntimeAgentsDocument } from '@runview/documents/conformance';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_ID, jsonb, type RunviewServer } from '../src/index.js';
import { STATE_TYPES } from '../src/states/index.js';
import { BACKENDS } from './mutations-harness.js';
import { query } from './support/http.js';
import { expectAnswerShape, IdMap, loadSequence, pathOf, pythonJsonBody, postWire, type SequenceStep } from './support/prefect-wire.js';
import { useTestServer } from './support/server.js';

// The recording's ids of the objects every sequence starts from.
const RECORDED = {
  flowRun: '55555555-5555-4555-8555-555555555555',
  flow: '33333333-3333-4333-8333-333333333333',
  project: '22222222-2222-4222-8222-222222222222',
};
// The tasks of the two recorded flows, by slug (task ids come from the flow's registration).
const SEQ_OK_TASKS = {
  'numbers-1': 'ffb29a5d-b804-5eb1-a0a0-d0951559ba55',
  'add_one-1': '3e1691e9-9463-55e2-8fe5-18348209269a',
  'report-1': 'f5def4c3-fe95-5c77-84ae-37bdbff50cfe',
};
const SEQ_FAIL_TASKS = { 'prepare-1': '2671a7ff-7523-53ed-9a00-5a4be398abee', 'boom-1': 'cb415f30-0330-58fd-9510-a1384b8310d3' };

const NOW = new Date('2026-11-30T23:29:30.000Z');
const NOW_TEXT = '2026-11-30T23:29:30+00:00';
const LOCAL_RUN = { type: 'LocalRun', labels: ['e2e'], env: null, working_dir: null, __version__: '1.4.1' };

interface Flows {
  readonly projectId: string;
  readonly ok: string;
  readonly fail: string;
}

async function insertFlow(server: RunviewServer, projectId: string, name: string, tasks: Record<string, string>): Promise<string> {
  const k = server.db.kysely;
  const group = await k.insertInto('flow_group').values({ name }).returning('id').executeTakeFirstOrThrow();
  const flow = await k
    .insertInto('flow')
    .values({
      name,
      project_id: projectId,
      flow_group_id: group.id,
      version: 1,
      core_version: '1.4.1',
      storage: jsonb({ type: 'Module', module: 'seq_flows', flows: {}, secrets: [], __version__: '1.4.1' }),
      run_config: jsonb(LOCAL_RUN),
      parameters: jsonb([]),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [slug, id] of Object.entries(tasks)) {
    await k
      .insertInto('task')
      .values({ id, flow_id: flow.id, name: slug.replace(/-1$/, ''), slug, mapped: slug === 'add_one-1' })
      .execute();
  }
  return flow.id;
}

async function insertFlows(server: RunviewServer): Promise<Flows> {
  const project = await server.db.kysely.insertInto('project').values({ name: 'e2e' }).returning('id').executeTakeFirstOrThrow();
  return {
    projectId: project.id,
    ok: await insertFlow(server, project.id, 'seq-ok', SEQ_OK_TASKS),
    fail: await insertFlow(server, project.id, 'seq-fail', SEQ_FAIL_TASKS),
  };
}

/** A new Scheduled run of a flow, as `prefect run` or the scheduler would create it. */
async function scheduleRun(server: RunviewServer, flowId: string): Promise<string> {
  const data = await query(server, CreateFlowRunDocument, {
    input: { flow_id: flowId, flow_run_name: 'fake-run', scheduled_start_time: '2021-01-01T00:00:00+00:00', labels: ['e2e'], run_config: LOCAL_RUN },
  });
  const id = data.create_flow_run?.id;
  if (id === undefined || id === null) throw new TypeError('create_flow_run returned no id');
  return id;
}

// Root fields whose whole answer is determined by the request: compared value for value.
const EXACT = new Set([
  'hello',
  'get_runs_in_queue',
  'set_flow_run_states',
  'set_task_run_states',
  'write_run_logs',
  'update_flow_run_heartbeat',
  'register_agent',
]);

/** Learns the ids this server gave to what the recording created or looked up. */
function learn(ids: IdMap, step: SequenceStep, data: Record<string, unknown>): void {
  const given = step.answer_given.data;
  const idOf = (value: unknown): string => (value as { id: string }).id;
  if (step.root_field === 'tenant') ids.set(idOf((given['tenant'] as unknown[])[0]), idOf((data['tenant'] as unknown[])[0]));
  if (step.root_field === 'register_agent' || step.root_field === 'get_or_create_task_run_info') {
    ids.set(idOf(given[step.root_field]), idOf(data[step.root_field]));
  }
}

/** What Prefect reads beyond the shape: states it can load, versions it can count. */
function expectPrefectReads(step: SequenceStep, data: Record<string, unknown>): void {
  if (step.root_field === 'get_or_create_task_run_info') {
    const info = data['get_or_create_task_run_info'] as { version: unknown; serialized_state: { type: string } };
    expect(Number.isInteger(info.version)).toBe(true);
    expect(STATE_TYPES).toContain(info.serialized_state.type);
  }
  if (step.root_field === 'flow_run_by_pk' && step.json_body.query.includes('task_runs')) {
    const run = data['flow_run_by_pk'] as { task_runs: { task: { id: string; slug: string } }[] };
    const given = step.answer_given.data['flow_run_by_pk'] as typeof run;
    // Prefect looks every parent task run's slug up in the flow it loaded.
    expect(run.task_runs.map((taskRun) => taskRun.task).sort((a, b) => a.slug.localeCompare(b.slug))).toEqual(
      given.task_runs.map((taskRun) => taskRun.task).sort((a, b) => a.slug.localeCompare(b.slug)),
    );
  }
}

/** Replays a recorded sequence, learning ids into `ids`; returns its steps. */
async function replay(server: RunviewServer, name: string, ids: IdMap): Promise<SequenceStep[]> {
  const steps = loadSequence(name);
  for (const step of steps) {
    const headers = ids.applyJson(step.headers);
    const answer = await postWire(server, pathOf(step.url), headers, ids.apply(pythonJsonBody(step.json_body)));
    expect(answer.body.errors, `${name} ${step.root_field}`).toBeUndefined();
    expect(answer.status).toBe(200);
    const data = answer.body.data ?? {};
    learn(ids, step, data);
    expectAnswerShape(step.json_body.query, data, step.answer_given.data);
    expectPrefectReads(step, data);
    if (EXACT.has(step.root_field)) expect(data, `${name} ${step.root_field}`).toEqual(ids.applyJson(step.answer_given.data));
  }
  return steps;
}

function logsSent(steps: readonly SequenceStep[]): number {
  return steps
    .filter((step) => step.root_field === 'write_run_logs')
    .reduce((total, step) => total + (JSON.parse(step.json_body.variables) as { input: { logs: unknown[] } }).input.logs.length, 0);
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`Prefect Core 1.4.1's agent and runners, replayed (${backend.name})`, () => {
    const t = useTestServer(backend, insertFlows, { now: () => NOW });

    /** Replays a sequence on a new Scheduled run of a flow, the recording's ids mapped to this server's. */
    async function replayOnNewRun(sequence: string, flowId: string): Promise<{ runId: string; ids: IdMap; steps: SequenceStep[] }> {
      const runId = await scheduleRun(t.server, flowId);
      const ids = new IdMap();
      ids.set(RECORDED.flowRun, runId);
      ids.set(RECORDED.flow, flowId);
      ids.set(RECORDED.project, t.data.projectId);
      return { runId, ids, steps: await replay(t.server, sequence, ids) };
    }

    it('agent: registers, polls, submits the run it was given, logs, and polls an empty queue', async () => {
      const { runId, ids } = await replayOnNewRun('agent', t.data.ok);
      const agentId = ids.get('66666666-6666-4666-8666-666666666666');
      const run = (await query(t.server, ConformanceRuntimeFlowRunDocument, { id: runId })).flow_run_by_pk;
      expect(run).toMatchObject({ state: 'Submitted', version: 2, agent_id: agentId, heartbeat: NOW_TEXT, start_time: null });
      expect(run?.serialized_state).toMatchObject({ type: 'Submitted', state: { type: 'Scheduled' } });
      const agents = (await query(t.server, ConformanceRuntimeAgentsDocument, { where: { id: { _eq: agentId } } })).agent;
      expect(agents).toEqual([
        expect.objectContaining({
          name: 'agent',
          type: 'LocalAgent',
          labels: ['e2e'],
          core_version: '1.4.1',
          last_queried: NOW_TEXT,
          flow_runs: [{ id: runId }],
        }),
      ]);
      const logs = await t.server.db.kysely.selectFrom('log').select(['name', 'message']).where('flow_run_id', '=', runId).execute();
      expect(logs).toEqual([{ name: 'agent', message: 'Submitted for execution: PID: 12345 (stubbed)' }]);
    });

    it('flow and task runner: runs the tasks, creates the mapped children, ends in Success', async () => {
      const { runId, steps } = await replayOnNewRun('flow_runner', t.data.ok);
      const run = (await query(t.server, ConformanceRuntimeFlowRunDocument, { id: runId })).flow_run_by_pk;
      expect(run?.states.map((state) => [state.state, state.version])).toEqual([
        ['Scheduled', 1],
        ['Running', 2],
        ['Success', 3],
      ]);
      expect(run).toMatchObject({
        state: 'Success',
        version: 3,
        heartbeat: NOW_TEXT,
        start_time: run?.states[1]?.timestamp,
        end_time: run?.states[2]?.timestamp,
      });
      const taskRuns = (run?.task_runs ?? []).map((taskRun) => [taskRun.task.slug, taskRun.map_index, taskRun.state, taskRun.version]);
      expect(taskRuns).toEqual([
        ['add_one-1', -1, 'Mapped', 2],
        // Children come into being through get_or_create_task_run_info: version 0, then two states.
        ['add_one-1', 0, 'Success', 2],
        ['add_one-1', 1, 'Success', 2],
        ['add_one-1', 2, 'Success', 2],
        ['numbers-1', -1, 'Success', 3],
        ['report-1', -1, 'Success', 3],
      ]);
      const parent = run?.task_runs.find((taskRun) => taskRun.map_index === -1 && taskRun.task.slug === 'add_one-1');
      // Mapped is finished but, as in Prefect Server, gives no end time; Running gave no start.
      expect(parent).toMatchObject({ start_time: null, end_time: null });
      const children = run?.task_runs.filter((taskRun) => taskRun.map_index >= 0) ?? [];
      for (const child of children) {
        expect(child.heartbeat).toBe(NOW_TEXT);
        expect([typeof child.start_time, typeof child.end_time]).toEqual(['string', 'string']);
      }
      const summary = (await query(t.server, ConformanceRuntimeMappedChildrenDocument, { taskRunId: parent?.id ?? '' })).mapped_children;
      expect(summary).toEqual({ min_start_time: children[0]?.start_time, max_end_time: children[2]?.end_time, state_counts: { Success: 3 } });
      const logs = await t.server.db.kysely.selectFrom('log').select('id').where('flow_run_id', '=', runId).execute();
      expect(logs).toHaveLength(logsSent(steps));
    });

    it('flow and task runner of a failing flow: the failing task and the run end Failed', async () => {
      const { runId } = await replayOnNewRun('flow_runner_fail', t.data.fail);
      const run = (await query(t.server, ConformanceRuntimeFlowRunDocument, { id: runId })).flow_run_by_pk;
      expect(run).toMatchObject({ state: 'Failed', version: 3, end_time: run?.states[2]?.timestamp });
      expect(run?.task_runs.map((taskRun) => [taskRun.task.slug, taskRun.state, taskRun.serialized_state])).toEqual([
        ['boom-1', 'Failed', expect.objectContaining({ message: "Error during execution of task: ValueError('boom x=21')" })],
        ['prepare-1', 'Success', expect.objectContaining({ message: 'Task run succeeded.' })],
      ]);
      expect(DEFAULT_TENANT_ID).toBe(
        (await t.server.db.kysely.selectFrom('flow_run').select('tenant_id').where('id', '=', runId).executeTakeFirstOrThrow()).tenant_id,
      );
    });
  });
}
