/**
 * The demo data set: what a small Prefect Server would hold after running two flows a few
 * times. Every time is fixed, so a seeded database answers the same everywhere.
 */
import type { LogLevelName } from '@runview/prefect';
import { formatTimestamp, SERIALIZER_CORE_VERSION, type JsonObject, type StateType } from '../states/index.js';
import { DEMO, demoId } from './ids.js';
import type { FlowRunSpec, StateSpec, TaskRunSpec } from './rows.js';

/** `base` plus `seconds` (fractions down to microseconds), as Prefect writes timestamps. */
export function later(base: string, seconds: number): string {
  return formatTimestamp(new Date(base), Math.round(seconds * 1_000_000));
}

const V = SERIALIZER_CORE_VERSION;

export const FLOW_RUN_MESSAGES = {
  Scheduled: 'Flow run scheduled.',
  Submitted: 'Submitted for execution',
  Running: 'Running flow.',
  Success: 'All reference tasks succeeded.',
  Failed: 'Some reference tasks failed.',
} as const;

export const TASK_RUN_MESSAGES = {
  Pending: 'Task run created',
  Running: 'Starting task run.',
  Success: 'Task run succeeded.',
  Mapped: 'Ready to proceed with mapping.',
  TriggerFailed: 'Trigger was "all_successful" but some of the upstream tasks failed.',
} as const;

/** Scheduled -> Submitted -> Running -> a final state, at the given times. */
function flowRunStates(times: { scheduled: string; submitted: string; running: string }, final?: StateSpec): StateSpec[] {
  const states: StateSpec[] = [
    { type: 'Scheduled', at: times.scheduled, message: FLOW_RUN_MESSAGES.Scheduled, startTime: times.scheduled },
    { type: 'Submitted', at: times.submitted, message: FLOW_RUN_MESSAGES.Submitted },
    { type: 'Running', at: times.running, message: FLOW_RUN_MESSAGES.Running },
  ];
  return final ? [...states, final] : states;
}

/** Pending (when the flow run was created) -> Running -> the final state, when given. */
function taskRunStates(created: string, running?: string, final?: StateSpec): StateSpec[] {
  const states: StateSpec[] = [{ type: 'Pending', at: created, message: TASK_RUN_MESSAGES.Pending }];
  if (running !== undefined) states.push({ type: 'Running', at: running, message: TASK_RUN_MESSAGES.Running });
  if (final) states.push(final);
  return states;
}

function localResult(flowRunId: string, slug: string, mapIndex = -1): JsonObject {
  const name = mapIndex < 0 ? slug : `${slug}-${mapIndex}`;
  return { type: 'LocalResult', dir: '/home/prefect/.prefect/results', location: `${flowRunId}/${name}.prefect_result`, __version__: V };
}

function ended(type: StateType, at: string, message: string, result?: JsonObject): StateSpec {
  return result === undefined ? { type, at, message } : { type, at, message, result };
}

export interface LogSpec {
  readonly id: string;
  readonly flowRunId: string;
  readonly taskRunId?: string;
  readonly at: string;
  readonly level: LogLevelName;
  readonly name: string;
  readonly message: string;
}

export interface DemoData {
  readonly flowRuns: FlowRunSpec[];
  readonly taskRuns: TaskRunSpec[];
  readonly logs: LogSpec[];
}

// ---------------------------------------------------------------------------------------
// hello-world: the documentation's reference run and woodoo-leopard.

function referenceRun(data: DemoData): void {
  const id = DEMO.flowRuns.reference;
  const scheduled = '1978-03-08T22:29:00+00:00';
  const finished = '1978-04-12T23:00:00+00:00';
  data.flowRuns.push({
    id,
    flowId: DEMO.helloWorld.flowId,
    name: 'hitchhiking-dolphin',
    agentId: DEMO.agents.local,
    states: flowRunStates(
      { scheduled, submitted: '1978-03-08T22:29:59.500000+00:00', running: '1978-03-08T22:30:01.123456+00:00' },
      { type: 'Success', at: finished, message: FLOW_RUN_MESSAGES.Success },
    ),
  });
  // Created one microsecond apart, in the order the documentation lists their ids.
  const runs: [keyof typeof DEMO.taskRuns, string, string][] = [
    ['say_hello-1', '1978-03-08T22:30:02.234567+00:00', '1978-04-12T22:59:59.987654+00:00'],
    ['say_hello-2', '1978-04-12T22:59:59.990000+00:00', '1978-04-12T22:59:59.993000+00:00'],
    ['say_hello-3', '1978-04-12T22:59:59.995000+00:00', '1978-04-12T22:59:59.998000+00:00'],
  ];
  runs.forEach(([slug, running, succeeded], index) => {
    data.taskRuns.push({
      id: DEMO.taskRuns[slug],
      flowRunId: id,
      taskId: DEMO.helloWorld.taskIds[slug],
      states: taskRunStates(later(scheduled, index / 1_000_000), running, ended('Success', succeeded, TASK_RUN_MESSAGES.Success)),
    });
  });
  const taskRunId = DEMO.taskRuns['say_hello-1'];
  const lines: Omit<LogSpec, 'id' | 'flowRunId'>[] = [
    { at: '1978-03-08T22:30:00+00:00', level: 'INFO', name: 'agent', message: 'Submitted for execution: Task XXXXXXX' },
    { at: '1978-03-08T22:30:01.123456+00:00', level: 'INFO', name: 'prefect.CloudFlowRunner', message: "Beginning Flow run for 'radio_show'" },
    { at: '1978-03-08T22:30:02.234567+00:00', level: 'INFO', name: 'prefect.CloudTaskRunner', message: "Task 'series_one': Starting task run...", taskRunId },
    {
      at: '1978-03-08T22:42:42.424242+00:00',
      level: 'INFO',
      name: 'prefect.series_one',
      message: 'It feels like I just had my brains smashed out by a slice of lemon wrapped round a large gold brick.',
      taskRunId,
    },
    {
      at: '1978-04-12T22:59:59.987654+00:00',
      level: 'INFO',
      name: 'prefect.CloudTaskRunner',
      message: "Task 'series_one': Finished task run for task with final state: 'Success'",
      taskRunId,
    },
    { at: finished, level: 'INFO', name: 'prefect.CloudFlowRunner', message: 'Flow run SUCCESS: all reference tasks succeeded' },
  ];
  lines.forEach((line, index) => data.logs.push({ id: demoId(`reference/log/${index}`), flowRunId: id, ...line }));
}

/** The usual lines of a flow runner for a run whose tasks all ran. */
function runnerLogs(
  data: DemoData,
  flowRunId: string,
  flowName: string,
  tasks: { slug: string; name: string; taskRunId: string; started: string; finished: string; state: string }[],
  times: { submitted: string; running: string; final: string; finalLine: string },
): void {
  const lines: Omit<LogSpec, 'id' | 'flowRunId'>[] = [
    { at: times.submitted, level: 'INFO', name: 'agent', message: `Submitted for execution: PID ${String(4100 + data.logs.length)}` },
    { at: times.running, level: 'INFO', name: 'prefect.CloudFlowRunner', message: `Beginning Flow run for '${flowName}'` },
  ];
  for (const task of tasks) {
    lines.push({
      at: task.started,
      level: 'INFO',
      name: 'prefect.CloudTaskRunner',
      message: `Task '${task.name}': Starting task run...`,
      taskRunId: task.taskRunId,
    });
    lines.push({
      at: task.finished,
      level: 'INFO',
      name: 'prefect.CloudTaskRunner',
      message: `Task '${task.name}': Finished task run for task with final state: '${task.state}'`,
      taskRunId: task.taskRunId,
    });
  }
  lines.push({ at: times.final, level: times.finalLine.includes('FAILED') ? 'ERROR' : 'INFO', name: 'prefect.CloudFlowRunner', message: times.finalLine });
  lines.forEach((line, index) => data.logs.push({ id: demoId(`${flowRunId}/log/${index}`), flowRunId, ...line }));
}

function woodooLeopard(data: DemoData): void {
  const id = DEMO.flowRuns.woodooLeopard;
  const scheduled = '2021-05-12T17:59:50+00:00';
  const times = { scheduled, submitted: '2021-05-12T17:59:53.402117+00:00', running: '2021-05-12T17:59:56.383629+00:00' };
  const final = '2021-05-12T18:00:01.847312+00:00';
  data.flowRuns.push({
    id,
    flowId: DEMO.helloWorld.flowId,
    name: 'woodoo-leopard',
    agentId: DEMO.agents.local,
    states: flowRunStates(times, { type: 'Success', at: final, message: FLOW_RUN_MESSAGES.Success }),
  });
  const tasks = Object.entries(DEMO.helloWorld.taskIds).map(([slug, taskId], index) => {
    const taskRunId = demoId(`woodoo-leopard/${slug}`);
    const started = later(times.running, 0.5 + index * 1.5);
    const finished = later(started, 1.25);
    data.taskRuns.push({
      id: taskRunId,
      flowRunId: id,
      taskId,
      states: taskRunStates(scheduled, started, ended('Success', finished, TASK_RUN_MESSAGES.Success)),
    });
    return { slug, name: 'say_hello', taskRunId, started, finished, state: 'Success' };
  });
  runnerLogs(data, id, DEMO.helloWorld.name, tasks, {
    submitted: times.submitted,
    running: times.running,
    final,
    finalLine: 'Flow run SUCCESS: all reference tasks succeeded',
  });
}

// ---------------------------------------------------------------------------------------
// etl: extract -> transform (mapped) -> load.

const ETL = DEMO.etl.taskIds;

function failedRun(data: DemoData): void {
  const id = DEMO.flowRuns.failed;
  const scheduled = '2021-05-13T09:00:00+00:00';
  const times = { scheduled, submitted: '2021-05-13T09:00:02.118204+00:00', running: '2021-05-13T09:00:05.650911+00:00' };
  const final = '2021-05-13T09:00:19.204576+00:00';
  data.flowRuns.push({
    id,
    flowId: DEMO.etl.flowId,
    name: 'bald-butterfly',
    labels: ['etl'],
    agentId: DEMO.agents.local,
    parameters: { batch_size: 100 },
    states: flowRunStates(times, { type: 'Failed', at: final, message: FLOW_RUN_MESSAGES.Failed }),
  });
  const extractStart = later(times.running, 1);
  const error = 'ConnectionError("HTTPSConnectionPool(host=\'api.example.com\', port=443): Max retries exceeded with url: /records")';
  const extractFailed = later(extractStart, 10.5);
  data.taskRuns.push({
    id: DEMO.failedTaskRun,
    flowRunId: id,
    taskId: ETL['extract-1'],
    states: taskRunStates(scheduled, extractStart, ended('Failed', extractFailed, `Error during execution of task: ${error}`)),
  });
  for (const slug of ['transform-1', 'load-1'] as const) {
    data.taskRuns.push({
      id: demoId(`failed/${slug}`),
      flowRunId: id,
      taskId: ETL[slug],
      states: taskRunStates(scheduled, undefined, ended('TriggerFailed', later(extractFailed, slug === 'load-1' ? 0.2 : 0.1), TASK_RUN_MESSAGES.TriggerFailed)),
    });
  }
  runnerLogs(
    data,
    id,
    DEMO.etl.name,
    [{ slug: 'extract-1', name: 'extract', taskRunId: DEMO.failedTaskRun, started: extractStart, finished: later(extractFailed, 0.001), state: 'Failed' }],
    { submitted: times.submitted, running: times.running, final, finalLine: 'Flow run FAILED: some reference tasks failed.' },
  );
  data.logs.push({
    id: demoId('failed/log/error'),
    flowRunId: id,
    taskRunId: DEMO.failedTaskRun,
    at: extractFailed,
    level: 'ERROR',
    name: 'prefect.CloudTaskRunner',
    message: [
      `Task 'extract': Exception encountered during task execution!`,
      'Traceback (most recent call last):',
      '  File "/usr/local/lib/python3.8/site-packages/prefect/engine/task_runner.py", line 861, in get_task_run_state',
      '    value = prefect.utilities.executors.run_task_with_timeout(',
      '  File "/opt/flows/etl.py", line 14, in extract',
      '    response = session.get(f"{API}/records", timeout=10)',
      `requests.exceptions.${error}`,
    ].join('\n'),
  });
}

/** A mapped transform: the parent Mapped with `n_map_states`, children by map index. */
function mappedChildren(data: DemoData, flowRunId: string, start: string, outcomes: readonly ('Success' | 'Failed' | 'Running' | 'Pending')[]): string {
  outcomes.forEach((outcome, mapIndex) => {
    const taskRunId = demoId(`${flowRunId}/transform-1/${mapIndex}`);
    const started = later(start, 0.25 + mapIndex * 0.2);
    const finished = later(started, 0.15);
    let states: StateSpec[];
    if (outcome === 'Pending') states = taskRunStates(start);
    else if (outcome === 'Running') states = taskRunStates(start, started);
    else if (outcome === 'Success') {
      states = taskRunStates(start, started, ended('Success', finished, TASK_RUN_MESSAGES.Success, localResult(flowRunId, 'transform-1', mapIndex)));
    } else {
      const message = `Error during execution of task: ValueError('record ${mapIndex} is malformed')`;
      states = taskRunStates(start, started, ended('Failed', finished, message));
      data.logs.push({
        id: demoId(`${flowRunId}/transform-1/${mapIndex}/error`),
        flowRunId,
        taskRunId,
        at: finished,
        level: 'ERROR',
        name: 'prefect.CloudTaskRunner',
        message: `Task 'transform[${mapIndex}]': Exception encountered during task execution!\nValueError: record ${mapIndex} is malformed`,
      });
    }
    data.taskRuns.push({ id: taskRunId, flowRunId, taskId: ETL['transform-1'], mapIndex, states });
  });
  return later(start, 0.25 + outcomes.length * 0.2 + 0.2);
}

function mappedRun(data: DemoData): void {
  const id = DEMO.flowRuns.mapped;
  const scheduled = '2021-05-13T12:00:00+00:00';
  const times = { scheduled, submitted: '2021-05-13T12:00:01.734001+00:00', running: '2021-05-13T12:00:04.019386+00:00' };
  const extractStart = later(times.running, 0.8);
  const extractDone = later(extractStart, 2.4);
  const failedIndexes = new Set([7, 23, 41]);
  const outcomes = Array.from({ length: DEMO.mappedChildren }, (_, index) => (failedIndexes.has(index) ? 'Failed' : 'Success'));
  data.taskRuns.push({
    id: demoId(`${id}/extract-1`),
    flowRunId: id,
    taskId: ETL['extract-1'],
    states: taskRunStates(scheduled, extractStart, ended('Success', extractDone, TASK_RUN_MESSAGES.Success, localResult(id, 'extract-1'))),
  });
  const mapStart = later(extractDone, 0.1);
  data.taskRuns.push({
    id: DEMO.mappedParentTaskRun,
    flowRunId: id,
    taskId: ETL['transform-1'],
    states: [
      ...taskRunStates(scheduled, mapStart),
      { type: 'Mapped', at: later(mapStart, 0.05), message: TASK_RUN_MESSAGES.Mapped, extra: { n_map_states: DEMO.mappedChildren } },
    ],
  });
  const childrenDone = mappedChildren(data, id, mapStart, outcomes);
  data.taskRuns.push({
    id: demoId(`${id}/load-1`),
    flowRunId: id,
    taskId: ETL['load-1'],
    states: taskRunStates(scheduled, undefined, ended('TriggerFailed', childrenDone, TASK_RUN_MESSAGES.TriggerFailed)),
  });
  const final = later(childrenDone, 0.3);
  data.flowRuns.push({
    id,
    flowId: DEMO.etl.flowId,
    name: 'cosmic-narwhal',
    labels: ['etl'],
    agentId: DEMO.agents.local,
    parameters: { batch_size: 50 },
    states: flowRunStates(times, { type: 'Failed', at: final, message: FLOW_RUN_MESSAGES.Failed }),
  });
  runnerLogs(
    data,
    id,
    DEMO.etl.name,
    [{ slug: 'extract-1', name: 'extract', taskRunId: demoId(`${id}/extract-1`), started: extractStart, finished: extractDone, state: 'Success' }],
    { submitted: times.submitted, running: times.running, final, finalLine: 'Flow run FAILED: some reference tasks failed.' },
  );
}

function runningRun(data: DemoData): void {
  const id = DEMO.flowRuns.running;
  const scheduled = '2021-05-14T10:00:00+00:00';
  const times = { scheduled, submitted: '2021-05-14T10:00:01.250000+00:00', running: '2021-05-14T10:00:03.500000+00:00' };
  const extractStart = later(times.running, 0.5);
  const extractDone = later(extractStart, 1.5);
  data.taskRuns.push({
    id: demoId(`${id}/extract-1`),
    flowRunId: id,
    taskId: ETL['extract-1'],
    states: taskRunStates(scheduled, extractStart, ended('Success', extractDone, TASK_RUN_MESSAGES.Success, localResult(id, 'extract-1'))),
  });
  const mapStart = later(extractDone, 0.1);
  const outcomes = ['Success', 'Success', 'Success', 'Success', 'Success', 'Success', 'Running', 'Running', 'Pending', 'Pending'] as const;
  data.taskRuns.push({
    id: demoId(`${id}/transform-1`),
    flowRunId: id,
    taskId: ETL['transform-1'],
    states: [
      ...taskRunStates(scheduled, mapStart),
      { type: 'Mapped', at: later(mapStart, 0.05), message: TASK_RUN_MESSAGES.Mapped, extra: { n_map_states: outcomes.length } },
    ],
  });
  const last = mappedChildren(data, id, mapStart, outcomes);
  data.taskRuns.push({ id: demoId(`${id}/load-1`), flowRunId: id, taskId: ETL['load-1'], states: taskRunStates(scheduled) });
  data.flowRuns.push({
    id,
    flowId: DEMO.etl.flowId,
    name: 'spiffy-otter',
    labels: ['etl'],
    agentId: DEMO.agents.local,
    parameters: { batch_size: 10 },
    states: flowRunStates(times),
    updated: last,
  });
  runnerLogs(
    data,
    id,
    DEMO.etl.name,
    [{ slug: 'extract-1', name: 'extract', taskRunId: demoId(`${id}/extract-1`), started: extractStart, finished: extractDone, state: 'Success' }],
    { submitted: times.submitted, running: times.running, final: last, finalLine: "Task 'transform': 6 of 10 mapped runs finished" },
  );
}

/** The chatty run's times; its 5,000 generated lines fall between `firstLog` and its end. */
export const CHATTY = {
  scheduled: '2021-05-15T08:00:00+00:00',
  submitted: '2021-05-15T08:00:01.500000+00:00',
  running: '2021-05-15T08:00:03+00:00',
  firstLog: '2021-05-15T08:00:04+00:00',
  /** 5 ms between generated lines: 5,000 lines take 25 s. */
  logStepMicroseconds: 5000,
  final: '2021-05-15T08:00:30+00:00',
} as const;

function chattyRun(data: DemoData): void {
  const id = DEMO.flowRuns.chatty;
  const slugs = ['extract-1', 'transform-1', 'load-1'] as const;
  slugs.forEach((slug, index) => {
    const started = later(CHATTY.firstLog, index * 8.3 - 0.5);
    data.taskRuns.push({
      id: demoId(`${id}/${slug}`),
      flowRunId: id,
      taskId: ETL[slug],
      states: taskRunStates(CHATTY.scheduled, started, ended('Success', later(started, 8.25), TASK_RUN_MESSAGES.Success, localResult(id, slug))),
    });
  });
  data.flowRuns.push({
    id,
    flowId: DEMO.etl.flowId,
    name: 'lively-parrot',
    labels: ['etl'],
    agentId: DEMO.agents.kubernetes,
    parameters: { batch_size: 5000 },
    states: flowRunStates(CHATTY, { type: 'Success', at: CHATTY.final, message: FLOW_RUN_MESSAGES.Success }),
  });
}

/** Every demo flow run, task run and hand-written log line (the chatty run's lines are generated). */
export function demoData(): DemoData {
  const data: DemoData = { flowRuns: [], taskRuns: [], logs: [] };
  referenceRun(data);
  woodooLeopard(data);
  failedRun(data);
  mappedRun(data);
  runningRun(data);
  chattyRun(data);
  return data;
}
