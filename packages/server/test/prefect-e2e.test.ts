// A whole Prefect 1.x life, end to end, in Prefect Core 1.4.1's own requests: `prefect register`
// sends its compressed flow (the recorded string, byte for byte), `prefect run` queues a run,
// a local agent registers, picks the run up with get_runs_in_queue and submits it, and the
// flow and task runners run it: the mapped task's children come into being through
// get_or_create_task_run_info, one of them fails, the task downstream of it never runs, the
// CloudHandler uploads its log lines in two late batches, and the run ends Failed. Every
// body is a recorded one (string variables, literals, the root path of Prefect's default
// endpoint, its headers) with the recording's ids swapped for this server's and, where the
// story differs from the recording (the failing child, the trigger failure, the versions read
// back), the recorded bodies of the same calls edited as Prefect would have written them. The
// run is then read back as Prefect Server would have stored it; core's tests inspect the
// same protocol's runs with FlowRunView.
import { FlowRunLogsFirstPageDocument } from '@runview/documents';
import {
  ConformanceRegisteredFlowDocument,
  ConformanceRuntimeAgentsDocument,
  ConformanceRuntimeFlowRunDocument,
  ConformanceRuntimeMappedChildrenDocument,
} from '@runview/documents/conformance';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_ID, type RunviewServer } from '../src/index.js';
import { BACKENDS } from './mutations-harness.js';
import { query } from './support/http.js';
import { expectAnswerShape, IdMap, loadRequests, loadSequence, pathOf, postWire, pythonJsonBody, type SequenceStep } from './support/prefect-wire.js';
import { exactMicros } from './support/prefect-shapes.js';
import { useTestServer } from './support/server.js';

// The server's clock reads what the recording's did, so the agent's `before` finds the run due.
const NOW = new Date('2026-11-30T23:29:30.000Z');

const RECORDED = {
  tenant: '11111111-1111-4111-8111-111111111111',
  project: '22222222-2222-4222-8222-222222222222',
  flow: '33333333-3333-4333-8333-333333333333',
  flowRun: '55555555-5555-4555-8555-555555555555',
  agent: '66666666-6666-4666-8666-666666666666',
  /** The flow `prefect run` ran in the recording (the demo's hello-world). */
  runFlow: '8bdcf5b5-7598-49d1-a885-61612ca550de',
  /** add_one[1]: the child that fails here. */
  failingChild: '4e0ebcb5-47ff-4bc8-9a68-2de078d2127c',
  /** report: downstream of the mapped task, TriggerFailed here. */
  report: '4e5fc56b-4ae4-436d-b0c1-b8814eefe6e2',
} as const;

interface Step {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: string;
  /** The decoded `variables`; re-encoded as Python's `json.dumps` writes it. */
  readonly variables: unknown;
  readonly rootField: string;
  /** The answer Prefect's code was given in the recording (its shape is what Prefect reads). */
  readonly given: Record<string, unknown>;
}

type Json = Record<string, unknown>;

/** JSON as Python's `json.dumps` writes it: `, ` and `: ` separators, non-ASCII escaped. */
function pythonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonDumps).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value as Json)
      .map(([key, field]) => `${pythonDumps(key)}: ${pythonDumps(field)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function stepOf(step: SequenceStep, edit?: (variables: Json) => void): Step {
  const variables = JSON.parse(step.json_body.variables) as Json | null;
  if (variables !== null && edit !== undefined) edit(variables);
  return { path: pathOf(step.url), headers: step.headers, query: step.json_body.query, variables, rootField: step.root_field, given: step.answer_given.data };
}

function firstState(variables: Json): Json {
  const [entry] = (variables['input'] as { states: Json[] }).states;
  if (entry === undefined) throw new TypeError('a state request without a state');
  return entry;
}

function logsOf(variables: Json): Json[] {
  return (variables['input'] as { logs: Json[] }).logs;
}

/** The recorded log lines of a batch, as this story logs them. */
function rewriteLogs(variables: Json, rewrite: (log: Json) => Json[]): void {
  (variables['input'] as { logs: Json[] }).logs = logsOf(variables).flatMap(rewrite);
}

const registration = loadSequence('cli_register');
const agent = loadSequence('agent');
const runner = loadSequence('flow_runner');
const failing = loadSequence('flow_runner_fail');
const [queueRun] = loadRequests(146, 146);

/** The recorded exception line of a failing task, as the runner logs it for add_one[1]. */
function exceptionLine(log: Json): Json {
  const recorded = logsOf(JSON.parse(failing[13]?.json_body.variables ?? '{}') as Json).find((line) => line['level'] === 'ERROR') ?? {};
  return {
    ...recorded,
    task_run_id: log['task_run_id'],
    timestamp: '2026-11-30T23:29:34.870002+00:00',
    message: String(recorded['message']).replace("Task 'boom'", "Task 'add_one[1]'"),
  };
}

/**
 * The story, in Prefect's requests. `versions` is filled as the answers come: Prefect sends
 * the version it read (the run's for Submitted and Running, the task run's for Running).
 */
function story(read: { runVersion: () => number; scheduled: () => unknown; taskRunVersion: () => number }): (Step | (() => Step))[] {
  const at = (steps: readonly SequenceStep[], index: number): SequenceStep => {
    const step = steps[index];
    if (step === undefined) throw new TypeError(`no step ${String(index)}`);
    return step;
  };
  const runningTask = (index: number) => () =>
    stepOf(at(runner, index), (variables) => {
      firstState(variables)['version'] = read.taskRunVersion();
    });
  const queue = JSON.parse(queueRun?.body ?? '{}') as { query: string; variables: string };
  return [
    // prefect register --project e2e: the project, the newest version, the compressed flow.
    ...registration.map((step) => stepOf(step)),
    // prefect run: the run queued.
    {
      path: queueRun?.path ?? '/',
      headers: queueRun?.headers ?? {},
      query: queue.query,
      variables: JSON.parse(queue.variables) as unknown,
      rootField: 'create_flow_run',
      given: { create_flow_run: { id: RECORDED.flowRun } },
    },
    // The agent: tenant, registration, hello, a poll that hands the run out, its metadata.
    ...agent.slice(0, 5).map((step) => stepOf(step)),
    // Submitted, with the version and the Scheduled state the agent read.
    () =>
      stepOf(at(agent, 5), (variables) => {
        const entry = firstState(variables);
        entry['version'] = read.runVersion();
        (entry['state'] as Json)['state'] = read.scheduled();
      }),
    stepOf(at(agent, 6)),
    // The next poll: nothing left for the agent.
    stepOf(at(agent, 7)),
    // The flow runner: the run read, Running with its version, heartbeats and their setting.
    stepOf(at(runner, 0)),
    () =>
      stepOf(at(runner, 1), (variables) => {
        firstState(variables)['version'] = read.runVersion();
      }),
    ...[2, 3, 4].map((index) => stepOf(at(runner, index))),
    // numbers: task run, Running, Success.
    stepOf(at(runner, 5)),
    runningTask(6),
    stepOf(at(runner, 7)),
    // add_one: the mapped parent, then its three children; add_one[1] fails.
    stepOf(at(runner, 8)),
    stepOf(at(runner, 9)),
    stepOf(at(runner, 10)),
    runningTask(11),
    stepOf(at(runner, 12)),
    stepOf(at(runner, 13)),
    runningTask(14),
    stepOf(at(failing, 10), (variables) => {
      firstState(variables)['task_run_id'] = RECORDED.failingChild;
    }),
    stepOf(at(runner, 16)),
    runningTask(17),
    stepOf(at(runner, 18)),
    // The log handler's first upload, late: the lines up to add_one[2] starting.
    stepOf(at(runner, 19), (variables) => {
      rewriteLogs(variables, (log) =>
        log['task_run_id'] === RECORDED.failingChild && String(log['message']).includes('Finished task run')
          ? [exceptionLine(log), { ...log, message: "Task 'add_one[1]': Finished task run for task with final state: 'Failed'" }]
          : [log],
      );
    }),
    // report: its trigger fails before it runs (no Running state).
    stepOf(at(runner, 20)),
    stepOf(at(failing, 10), (variables) => {
      const entry = firstState(variables);
      entry['task_run_id'] = RECORDED.report;
      Object.assign(entry['state'] as Json, { type: 'TriggerFailed', message: 'Trigger was "all_successful" but some of the upstream tasks failed.' });
    }),
    // The cancellation check, the final state, and the last upload after it.
    stepOf(at(runner, 23)),
    stepOf(at(failing, 12)),
    stepOf(at(runner, 25), (variables) => {
      rewriteLogs(variables, (log) => {
        const message = String(log['message']);
        if (log['name'] === 'prefect.report' || log['level'] === 'WARNING') return [];
        if (message.startsWith("Task 'report': Finished"))
          return [{ ...log, message: "Task 'report': Finished task run for task with final state: 'TriggerFailed'" }];
        if (message.startsWith('Flow run SUCCESS')) return [{ ...log, message: 'Flow run FAILED: some reference tasks failed.' }];
        return [log];
      });
    }),
  ];
}

interface Outcome {
  readonly ids: IdMap;
  /** The log lines sent, by the agent (no timestamp) and the runners' handler. */
  readonly logsSent: Json[];
}

/** The answer Prefect Server gives a state request: every run SUCCESS, no message. */
function stateAnswer(step: Step, field: 'flow_run_id' | 'task_run_id'): Json {
  const states = (step.variables as { input: { states: Json[] } }).input.states;
  return { [step.rootField]: { states: states.map((entry) => ({ status: 'SUCCESS', id: entry[field], message: null })) } };
}

interface ParentTaskRun {
  readonly id: string;
  readonly task: { readonly id: string; readonly slug: string };
}

/** Learns this server's ids from an answer, beside the recording's. */
function learn(ids: IdMap, step: Step, data: Json): void {
  const field = step.rootField;
  const idOf = (value: unknown): string => (value as { id: string }).id;
  if (field === 'tenant') ids.set(RECORDED.tenant, idOf((data['tenant'] as unknown[])[0]));
  if (field === 'project') ids.set(RECORDED.project, idOf((data['project'] as unknown[])[0]));
  if (field === 'create_flow_from_compressed_string') {
    ids.set(RECORDED.flow, idOf(data[field]));
    ids.set(RECORDED.runFlow, idOf(data[field]));
  }
  if (field === 'create_flow_run') ids.set(RECORDED.flowRun, idOf(data[field]));
  if (field === 'register_agent' || field === 'get_or_create_task_run_info') ids.set(idOf(step.given[field]), idOf(data[field]));
  if (field === 'flow_run_by_pk' && step.query.includes('task_runs')) {
    // Task ids come from the flow's registration: matched by slug, as the flow runner does.
    const ours = (data[field] as { task_runs: ParentTaskRun[] }).task_runs;
    for (const recorded of (step.given[field] as { task_runs: ParentTaskRun[] }).task_runs) {
      const mine = ours.find((taskRun) => taskRun.task.slug === recorded.task.slug);
      if (mine === undefined) throw new TypeError(`no task run for ${recorded.task.slug}`);
      ids.set(recorded.task.id, mine.task.id);
      ids.set(recorded.id, mine.id);
    }
  }
}

async function play(server: RunviewServer): Promise<Outcome> {
  const ids = new IdMap();
  const logsSent: Json[] = [];
  let runVersion = 0;
  let scheduled: unknown = null;
  let taskRunVersion = 0;
  const steps = story({ runVersion: () => runVersion, scheduled: () => scheduled, taskRunVersion: () => taskRunVersion });
  for (const entry of steps) {
    const step = typeof entry === 'function' ? entry() : entry;
    const variablesText = ids.apply(pythonDumps(step.variables));
    const answer = await postWire(server, step.path, ids.applyJson(step.headers), ids.apply(pythonJsonBody({ query: step.query, variables: variablesText })));
    expect(answer.body.errors, `${step.rootField}: ${JSON.stringify(answer.body.errors)}`).toBeUndefined();
    expect(answer.status).toBe(200);
    const data = (answer.body.data ?? {}) as Json;
    learn(ids, step, data);
    expectAnswerShape(step.query, data, step.given);
    const sent = JSON.parse(variablesText) as unknown;
    if (step.rootField === 'set_flow_run_states') expect(data).toEqual(stateAnswer({ ...step, variables: sent }, 'flow_run_id'));
    if (step.rootField === 'set_task_run_states') expect(data).toEqual(stateAnswer({ ...step, variables: sent }, 'task_run_id'));
    if (['hello', 'get_runs_in_queue', 'write_run_logs', 'update_flow_run_heartbeat', 'register_agent'].includes(step.rootField)) {
      expect(data, step.rootField).toEqual(ids.applyJson(step.given));
    }
    if (step.rootField === 'write_run_logs') logsSent.push(...logsOf(sent as Json));
    // What Prefect reads back and sends again.
    if (step.rootField === 'flow_run') {
      const [run] = data['flow_run'] as { version: number; serialized_state: unknown }[];
      runVersion = run?.version ?? -1;
      scheduled = run?.serialized_state ?? null;
    }
    if (step.rootField === 'flow_run_by_pk' && step.query.includes('version')) runVersion = (data['flow_run_by_pk'] as { version: number }).version;
    if (step.rootField === 'get_or_create_task_run_info') taskRunVersion = (data['get_or_create_task_run_info'] as { version: number }).version;
  }
  return { ids, logsSent };
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`Prefect Core 1.4.1 end to end: register, queue, agent, runners (${backend.name})`, () => {
    const t = useTestServer(
      backend,
      async (server) => {
        // `prefect create project e2e` ran before: the registration looks it up.
        await server.db.kysely.insertInto('project').values({ name: 'e2e', tenant_id: DEFAULT_TENANT_ID }).execute();
        return play(server);
      },
      { now: () => NOW },
    );

    it('registers the flow from its compressed string: version 1, its tasks and the mapped edge', async () => {
      const flow = (await query(t.server, ConformanceRegisteredFlowDocument, { id: t.data.ids.get(RECORDED.flow) })).flow_by_pk;
      expect(flow).toMatchObject({
        name: 'seq-ok',
        version: 1,
        archived: false,
        core_version: '1.4.1',
        project: { name: 'e2e' },
        run_config: { type: 'LocalRun', labels: ['e2e'] },
      });
      expect(flow?.tasks.map((task) => task.slug)).toEqual(['add_one-1', 'numbers-1', 'report-1']);
      expect(flow?.edges.map((edge) => [edge.upstream_task.slug, edge.downstream_task.slug, edge.key, edge.mapped])).toEqual([
        ['add_one-1', 'report-1', 'values', false],
        ['numbers-1', 'add_one-1', 'x', true],
      ]);
    });

    it('queues the run, and the registered agent that picked it up submitted it', async () => {
      const runId = t.data.ids.get(RECORDED.flowRun);
      const agentId = t.data.ids.get(RECORDED.agent);
      const run = (await query(t.server, ConformanceRuntimeFlowRunDocument, { id: runId })).flow_run_by_pk;
      expect(run?.labels).toEqual(['e2e']);
      expect(run?.agent_id).toBe(agentId);
      expect(run?.heartbeat).toBe('2026-11-30T23:29:30+00:00');
      const agents = (await query(t.server, ConformanceRuntimeAgentsDocument, { where: { id: { _eq: agentId } } })).agent;
      expect(agents).toEqual([
        expect.objectContaining({ name: 'agent', type: 'LocalAgent', labels: ['e2e'], core_version: '1.4.1', flow_runs: [{ id: runId }] }),
      ]);
    });

    it('ends Failed: the failing child, its siblings, the mapped parent and the task that never ran', async () => {
      const run = (await query(t.server, ConformanceRuntimeFlowRunDocument, { id: t.data.ids.get(RECORDED.flowRun) })).flow_run_by_pk;
      expect(run?.states.map((state) => [state.state, state.version])).toEqual([
        ['Scheduled', 1],
        ['Submitted', 2],
        ['Running', 3],
        ['Failed', 4],
      ]);
      expect(run).toMatchObject({ state: 'Failed', version: 4, serialized_state: { type: 'Failed', message: 'Some reference tasks failed.' } });
      expect(run?.task_runs.map((taskRun) => [taskRun.task.slug, taskRun.map_index, taskRun.state])).toEqual([
        ['add_one-1', -1, 'Mapped'],
        ['add_one-1', 0, 'Success'],
        ['add_one-1', 1, 'Failed'],
        ['add_one-1', 2, 'Success'],
        ['numbers-1', -1, 'Success'],
        ['report-1', -1, 'TriggerFailed'],
      ]);
      const failed = run?.task_runs.find((taskRun) => taskRun.map_index === 1);
      expect(failed?.serialized_state).toMatchObject({ message: "Error during execution of task: ValueError('boom x=21')" });
      const parent = run?.task_runs.find((taskRun) => taskRun.map_index === -1 && taskRun.task.slug === 'add_one-1');
      const summary = (await query(t.server, ConformanceRuntimeMappedChildrenDocument, { taskRunId: parent?.id ?? '' })).mapped_children;
      expect(summary?.state_counts).toEqual({ Success: 2, Failed: 1 });
    });

    it('keeps every log line sent, with the timestamps the runner gave them', async () => {
      const runId = t.data.ids.get(RECORDED.flowRun);
      const logs = (await query(t.server, FlowRunLogsFirstPageDocument, { flowRunId: runId, limit: 1000 })).log;
      expect(logs).toHaveLength(t.data.logsSent.length);
      const stamped = t.data.logsSent.filter((log) => log['timestamp'] !== undefined);
      expect(stamped.length).toBe(logs.length - 1);
      expect(logs.filter((log) => log.name !== 'agent').map((log) => [exactMicros(log.timestamp), log.message])).toEqual(
        stamped.map((log) => [exactMicros(log['timestamp']), log['message']]).sort(([a], [b]) => String(a).localeCompare(String(b))),
      );
      const error = logs.find((log) => log.level === 'ERROR');
      expect(error).toMatchObject({
        task_run_id: t.data.ids.get(RECORDED.failingChild),
        message: expect.stringMatching(/^Task 'add_one\[1\]': Exception encountered during task execution!\nTraceback/) as unknown,
      });
      expect(logs.at(-1)?.message).toBe('Flow run FAILED: some reference tasks failed.');
    });
  });
}
