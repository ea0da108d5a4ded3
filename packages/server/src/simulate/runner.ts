/**
 * Prefect's `CloudFlowRunner` and `CloudTaskRunner` running the flow `etl` on a Submitted run:
 * the run read at start, Running with the version read, heartbeats, a task run fetched or
 * created with `get_or_create_task_run_info` for every task and mapped child, task states
 * (Running with the task run's version, the others without), the run read again by the
 * cancellation check, and the final state, with the log lines the runners write.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  SimulatorFlowRunHeartbeatDocument,
  SimulatorFlowRunInfoDocument,
  SimulatorFlowSettingsDocument,
  SimulatorGetOrCreateTaskRunInfoDocument,
  SimulatorSetFlowRunStatesDocument,
  SimulatorSetTaskRunStatesDocument,
  type SimulatorFlowRunInfoQuery,
} from '@runview/documents/simulator';
import type { JsonObject } from '@runview/prefect';
import { SimulationError } from './client.js';
import { FLOW_NAME, TASKS } from './flow.js';
import type { LogLevel, LogQueue } from './log-queue.js';
import type { PrefectClient } from './prefect-client.js';
import { mappedState, RESULT, runnerState, taskState } from './runner-states.js';

/** Prefect's `cloud.heartbeat_interval`: the heartbeat process beats this often. */
const HEARTBEAT_INTERVAL_MS = 30_000;

/** The loggers of Prefect's runners, as log lines name them. */
export const FLOW_RUNNER = 'prefect.CloudFlowRunner';
const TASK_RUNNER = 'prefect.CloudTaskRunner';

/** The pause between two steps of a simulation; rejects when `signal` aborts. */
export async function pause(stepMs: number, signal: AbortSignal | undefined): Promise<void> {
  if (stepMs > 0) await sleep(stepMs, undefined, signal === undefined ? {} : { signal });
  else signal?.throwIfAborted();
}

export interface RunPlan {
  readonly outcome: 'Success' | 'Failed';
  /** Mapped `transform` children. */
  readonly taskCount: number;
  /** Lines each task's own logger writes while it runs. */
  readonly logsPerTask: number;
}

export interface RunnerContext {
  readonly api: PrefectClient;
  readonly flowRunId: string;
  readonly logs: LogQueue;
  /** The pause between two steps of the simulation. */
  readonly stepMs: number;
  readonly signal: AbortSignal | undefined;
}

type FlowRunInfo = NonNullable<SimulatorFlowRunInfoQuery['flow_run_by_pk']>;

/** How one task run ends. */
type TaskOutcome = 'Success' | 'Failed' | 'Mapped' | 'TriggerFailed';

class FlowRunner {
  readonly #context: RunnerContext;
  readonly #heartbeatHeaders: Readonly<Record<string, string>>;
  #heartbeats: ReturnType<typeof setInterval> | undefined;

  constructor(context: RunnerContext) {
    this.#context = context;
    this.#heartbeatHeaders = { 'x-prefect-heartbeat-id': context.flowRunId };
  }

  pause(): Promise<void> {
    return pause(this.#context.stepMs, this.#context.signal);
  }

  log(message: string, fields: { taskRunId?: string; level?: LogLevel; name?: string } = {}): void {
    this.#context.logs.log({
      message,
      name: fields.name ?? (fields.taskRunId === undefined ? FLOW_RUNNER : TASK_RUNNER),
      taskRunId: fields.taskRunId ?? null,
      ...(fields.level === undefined ? {} : { level: fields.level }),
    });
  }

  /** `Client.get_flow_run_info`: the run's version and its parent task runs, by task slug. */
  async readRun(): Promise<FlowRunInfo> {
    const { api, flowRunId } = this.#context;
    const { flow_run_by_pk: run } = await api.request(SimulatorFlowRunInfoDocument, { id: flowRunId }, { literal: true });
    if (!run) throw new SimulationError(`Flow run ID not found: "${flowRunId}"`);
    return run;
  }

  async setFlowRunState(state: JsonObject, version: number | null): Promise<void> {
    const { api, flowRunId, logs } = this.#context;
    await logs.beforeRunChange();
    await api.request(SimulatorSetFlowRunStatesDocument, { input: { states: [{ state, flow_run_id: flowRunId, version }] } });
  }

  async setTaskRunState(taskRunId: string, state: JsonObject, version: number | null): Promise<void> {
    const { api, logs } = this.#context;
    await logs.beforeRunChange();
    await api.request(SimulatorSetTaskRunStatesDocument, { input: { states: [{ state, task_run_id: taskRunId, version }] } });
  }

  async heartbeat(): Promise<void> {
    const { api, flowRunId } = this.#context;
    await api.request(SimulatorFlowRunHeartbeatDocument, { input: { flow_run_id: flowRunId } }, { literal: true, headers: this.#heartbeatHeaders });
  }

  /**
   * `_heartbeat()`: one heartbeat, the flow's setting, then (unless disabled) the heartbeat
   * process: a beat at once and one every 30 s until the run ends. A failed beat is only logged.
   */
  async startHeartbeats(): Promise<void> {
    const { api, flowRunId } = this.#context;
    try {
      await this.heartbeat();
      const { flow_run_by_pk: run } = await api.request(SimulatorFlowSettingsDocument, { id: flowRunId }, { literal: true });
      const settings = run?.flow.settings;
      const enabled = typeof settings !== 'object' || settings === null || Array.isArray(settings) || settings['heartbeat_enabled'] !== false;
      if (!enabled) return;
      await this.heartbeat();
    } catch (error) {
      if (this.#context.signal?.aborted === true) throw error;
      this.log(`Heartbeat failed for Flow '${FLOW_NAME}'`, { level: 'ERROR' });
      return;
    }
    this.#heartbeats = setInterval(() => {
      this.heartbeat().catch(() => undefined);
    }, HEARTBEAT_INTERVAL_MS);
    this.#heartbeats.unref();
  }

  stopHeartbeats(): void {
    clearInterval(this.#heartbeats);
    this.#heartbeats = undefined;
  }

  /**
   * One `CloudTaskRunner`: its task run fetched or created, Running with the task run's version
   * and the task's own log lines (or straight to Mapped or TriggerFailed), then its end state.
   */
  async runTask(taskId: string, label: string, mapIndex: number, outcome: TaskOutcome, lines: number, children = 0): Promise<void> {
    const { api, flowRunId, logs } = this.#context;
    // A mapped child's task run is new history: the lines logged before it go out first.
    await logs.beforeRunChange();
    const { get_or_create_task_run_info: info } = await api.request(
      SimulatorGetOrCreateTaskRunInfoDocument,
      { input: { flow_run_id: flowRunId, task_id: taskId, map_index: mapIndex } },
      { literal: true },
    );
    const taskRunId = info?.id;
    if (!taskRunId) throw new SimulationError('Failed to create task run.');
    this.log(`Task '${label}': Starting task run...`, { taskRunId });
    if (outcome === 'Mapped') {
      await this.setTaskRunState(taskRunId, mappedState(children), null);
    } else if (outcome === 'TriggerFailed') {
      await this.setTaskRunState(
        taskRunId,
        taskState('TriggerFailed', 'Trigger was "all_successful" but some of the upstream tasks failed.', { result: RESULT }),
        null,
      );
    } else {
      await this.setTaskRunState(taskRunId, taskState('Running', 'Starting task run.'), info.version ?? null);
      const logger = `prefect.${label.replace(/\[.*$/, '')}`;
      for (let line = 1; line <= lines; line += 1) {
        await this.pause();
        this.log(`Task '${label}': processed batch ${String(line)} of ${String(lines)}`, { taskRunId, name: logger });
      }
      await this.pause();
      if (outcome === 'Failed') {
        const error = `ValueError('simulated failure in ${label}')`;
        this.log(
          `Task '${label}': Exception encountered during task execution!\nTraceback (most recent call last):\n  File "runview_simulator/flows.py", line 12, in ${label.replace(/\[.*$/, '')}\n    raise ${error}\n${error.replace(/^(\w+)\('(.*)'\)$/, '$1: $2')}`,
          { taskRunId, level: 'ERROR' },
        );
        await this.setTaskRunState(taskRunId, taskState('Failed', `Error during execution of task: ${error}`, { result: RESULT }), null);
      } else {
        await this.setTaskRunState(taskRunId, taskState('Success', 'Task run succeeded.', { result: RESULT }), null);
      }
    }
    this.log(`Task '${label}': Finished task run for task with final state: '${outcome}'`, { taskRunId });
  }
}

function taskIdOf(run: FlowRunInfo, slug: string): string {
  const taskRun = run.task_runs.find((candidate) => candidate.task.slug === slug);
  if (taskRun === undefined) throw new SimulationError(`Task slug ${slug} is not found in the current Flow.`);
  return taskRun.task.id;
}

/**
 * Runs the flow on a Submitted run, as `prefect execute flow-run` does with `CloudFlowRunner`,
 * and returns the run's final state. The log lines logged until then are uploaded by the
 * caller's log queue.
 */
export async function runFlow(context: RunnerContext, plan: RunPlan): Promise<'Success' | 'Failed'> {
  const runner = new FlowRunner(context);
  const failed = plan.outcome === 'Failed';
  runner.log(`Beginning Flow run for '${FLOW_NAME}'`);
  const run = await runner.readRun();
  await runner.setFlowRunState(runnerState('Running', 'Running flow.'), run.version);
  await runner.startHeartbeats();
  try {
    await runner.runTask(taskIdOf(run, TASKS.extract.slug), TASKS.extract.name, -1, 'Success', plan.logsPerTask);
    await runner.pause();
    const transform = taskIdOf(run, TASKS.transform.slug);
    await runner.runTask(transform, TASKS.transform.name, -1, 'Mapped', 0, plan.taskCount);
    for (let index = 0; index < plan.taskCount; index += 1) {
      const fails = failed && index === plan.taskCount - 1;
      await runner.runTask(transform, `${TASKS.transform.name}[${String(index)}]`, index, fails ? 'Failed' : 'Success', plan.logsPerTask);
    }
    await runner.pause();
    await runner.runTask(taskIdOf(run, TASKS.load.slug), TASKS.load.name, -1, failed ? 'TriggerFailed' : 'Success', plan.logsPerTask);
    await runner.pause();
    // The cancellation check reads the run once more when the tasks are done.
    await runner.readRun();
    if (failed) {
      runner.log('Flow run FAILED: some reference tasks failed.');
      await runner.setFlowRunState(runnerState('Failed', 'Some reference tasks failed.', { result: RESULT }), null);
    } else {
      runner.log('Flow run SUCCESS: all reference tasks succeeded');
      await runner.setFlowRunState(runnerState('Success', 'All reference tasks succeeded.', { result: RESULT }), null);
    }
    return plan.outcome;
  } finally {
    runner.stopHeartbeats();
  }
}
