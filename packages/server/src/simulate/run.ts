import { setTimeout as sleep } from 'node:timers/promises';
import {
  CancelFlowRunDocument,
  CreateFlowRunDocument,
  GetOrCreateTaskRunDocument,
  SetFlowRunStatesDocument,
  SetTaskRunStatesDocument,
  WriteRunLogsDocument,
  type Log_Level,
} from '@runview/documents';
import { DEMO } from '../seed/ids.js';
import { serializeState, type JsonObject, type StateType } from '../states/index.js';
import { createGraphQLClient, SimulationError, type GraphQLClient } from './client.js';

/** How a simulated run ends: as asked, or Cancelled when its signal aborted it. */
export type FinalState = 'Success' | 'Failed' | 'Cancelled';

export interface SimulateOptions {
  /** The server: its base URL (`http://127.0.0.1:4200`) or GraphQL endpoint. */
  readonly url: string;
  /** A read-write API key, when the server requires one. */
  readonly apiKey?: string;
  /** Sent as `X-Prefect-Tenant-Id`. */
  readonly tenantId?: string;
  /** Pause between two steps (state changes and log batches), in milliseconds. Default 500. */
  readonly stepMs?: number;
  /** How the run ends. Default `Success`; `Failed` fails the last mapped child. */
  readonly outcome?: 'Success' | 'Failed';
  /** Number of mapped `transform` children (task runs besides extract and load). Default 3. */
  readonly taskCount?: number;
  /** Log lines each task run writes while running. Default 2. */
  readonly logsPerTask?: number;
  /** The run's name; default: one the server generates. */
  readonly flowRunName?: string;
  /**
   * The run is created at once, then waits in Scheduled until this settles before its first
   * step: lets a watcher attach to a run that has not started yet, however slow it is to attach.
   */
  readonly startWhen?: PromiseLike<unknown>;
  /** Aborting stops the simulation and cancels the run. */
  readonly signal?: AbortSignal;
  /** The fetch to use (default the global one); a server's in-process `fetch` works too. */
  readonly fetch?: (request: Request) => Promise<Response>;
}

/** A simulation started in the background. */
export interface SimulatedFlowRun {
  readonly flowRunId: string;
  /**
   * Settles when the simulation ends: with the run's final state, or rejected with a
   * {@link SimulationError} when the server refused a step.
   */
  readonly done: Promise<FinalState>;
}

const FLOW_NAME = DEMO.etl.name;
const TASKS = DEMO.etl.taskIds;

function count(value: number | undefined, fallback: number, what: string): number {
  const result = value ?? fallback;
  if (!Number.isInteger(result) || result < 0) throw new SimulationError(`${what} must be a non-negative integer, got ${String(value)}`);
  return result;
}

/** The steps of one run, sent through the public mutations. */
class Driver {
  constructor(
    private readonly api: GraphQLClient,
    private readonly flowRunId: string,
    private readonly stepMs: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async pause(): Promise<void> {
    if (this.stepMs > 0) await sleep(this.stepMs, undefined, this.signal ? { signal: this.signal } : {});
    else this.signal?.throwIfAborted();
  }

  async flowRunState(type: StateType, message: string, extra: JsonObject = {}): Promise<void> {
    await this.api.request(SetFlowRunStatesDocument, {
      input: { states: [{ flow_run_id: this.flowRunId, state: serializeState(type, { message, extra }) }] },
    });
  }

  async taskRunState(taskRunId: string, type: StateType, message: string, fields: { result?: JsonObject; extra?: JsonObject } = {}): Promise<void> {
    await this.api.request(SetTaskRunStatesDocument, {
      input: { states: [{ task_run_id: taskRunId, state: serializeState(type, { message, ...fields }) }] },
    });
  }

  async log(message: string, options: { level?: Log_Level; taskRunId?: string; name?: string } = {}): Promise<void> {
    await this.api.request(WriteRunLogsDocument, {
      input: {
        logs: [
          {
            flow_run_id: this.flowRunId,
            message,
            level: options.level ?? 'INFO',
            name: options.name ?? (options.taskRunId === undefined ? 'prefect.CloudFlowRunner' : 'prefect.CloudTaskRunner'),
            ...(options.taskRunId === undefined ? {} : { task_run_id: options.taskRunId }),
          },
        ],
      },
    });
  }

  async taskRun(taskId: string, mapIndex = -1): Promise<string> {
    const data = await this.api.request(GetOrCreateTaskRunDocument, { input: { flow_run_id: this.flowRunId, task_id: taskId, map_index: mapIndex } });
    const id = data.get_or_create_task_run?.id;
    if (!id) throw new SimulationError('get_or_create_task_run returned no id');
    return id;
  }

  /** Runs one task: Running, its log lines, then Success or Failed. */
  async runTask(taskRunId: string, label: string, lines: number, fail: boolean): Promise<void> {
    await this.taskRunState(taskRunId, 'Running', 'Starting task run.');
    await this.log(`Task '${label}': Starting task run...`, { taskRunId });
    for (let line = 1; line <= lines; line += 1) {
      await this.pause();
      await this.log(`Task '${label}': processed batch ${line} of ${lines}`, { taskRunId, name: `prefect.${label.replace(/\[.*$/, '')}` });
    }
    await this.pause();
    if (fail) {
      const error = `ValueError('simulated failure in ${label}')`;
      await this.log(`Task '${label}': Exception encountered during task execution!\n${error}`, { taskRunId, level: 'ERROR' });
      await this.taskRunState(taskRunId, 'Failed', `Error during execution of task: ${error}`);
    } else {
      const result = { type: 'LocalResult', dir: '/home/prefect/.prefect/results', location: `${this.flowRunId}/${label}.prefect_result` };
      await this.taskRunState(taskRunId, 'Success', 'Task run succeeded.', { result });
    }
    await this.log(`Task '${label}': Finished task run for task with final state: '${fail ? 'Failed' : 'Success'}'`, { taskRunId });
  }
}

async function drive(driver: Driver, options: { outcome: 'Success' | 'Failed'; taskCount: number; logsPerTask: number }): Promise<FinalState> {
  const failed = options.outcome === 'Failed';
  await driver.pause();
  await driver.flowRunState('Submitted', 'Submitted for execution', { state: null });
  await driver.log(`Submitted for execution: PID ${String(process.pid)}`, { name: 'agent' });
  await driver.pause();
  await driver.flowRunState('Running', 'Running flow.');
  await driver.log(`Beginning Flow run for '${FLOW_NAME}'`);

  const extract = await driver.taskRun(TASKS['extract-1']);
  await driver.runTask(extract, 'extract', options.logsPerTask, false);

  const transform = await driver.taskRun(TASKS['transform-1']);
  await driver.pause();
  await driver.taskRunState(transform, 'Running', 'Starting task run.');
  await driver.taskRunState(transform, 'Mapped', 'Ready to proceed with mapping.', { extra: { n_map_states: options.taskCount } });
  for (let index = 0; index < options.taskCount; index += 1) {
    const child = await driver.taskRun(TASKS['transform-1'], index);
    await driver.runTask(child, `transform[${String(index)}]`, options.logsPerTask, failed && index === options.taskCount - 1);
  }

  const load = await driver.taskRun(TASKS['load-1']);
  await driver.pause();
  if (failed) {
    await driver.taskRunState(load, 'TriggerFailed', 'Trigger was "all_successful" but some of the upstream tasks failed.');
  } else {
    await driver.runTask(load, 'load', options.logsPerTask, false);
  }

  await driver.pause();
  if (failed) {
    await driver.log('Flow run FAILED: some reference tasks failed.', { level: 'ERROR' });
    await driver.flowRunState('Failed', 'Some reference tasks failed.');
  } else {
    await driver.log('Flow run SUCCESS: all reference tasks succeeded');
    await driver.flowRunState('Success', 'All reference tasks succeeded.');
  }
  // Log lines can land after the final state (the runner flushes its handler last):
  // whoever follows the run has to drain them.
  await driver.pause();
  await driver.log('Flow run finished; the runner is shutting down.');
  return options.outcome;
}

/**
 * Creates a run of the demo flow `etl` (the server must hold the demo data) and returns
 * as soon as it exists, driving it in the background through Scheduled → Submitted →
 * Running → extract, a mapped transform and load (Pending → Running → Success or Failed)
 * → Success or Failed, with log lines, all through the public mutations over HTTP. A last
 * log line is written after the final state.
 *
 * @throws SimulationError when the server cannot be reached or refuses to create the run.
 */
export async function startSimulatedFlowRun(options: SimulateOptions): Promise<SimulatedFlowRun> {
  const stepMs = count(options.stepMs, 500, 'stepMs');
  const settings = {
    outcome: options.outcome ?? 'Success',
    taskCount: count(options.taskCount, 3, 'taskCount'),
    logsPerTask: count(options.logsPerTask, 2, 'logsPerTask'),
  } as const;
  const connection = {
    url: options.url,
    ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
    ...(options.tenantId === undefined ? {} : { tenantId: options.tenantId }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  };
  const api = createGraphQLClient({ ...connection, ...(options.signal === undefined ? {} : { signal: options.signal }) });
  let flowRunId: string | undefined;
  try {
    const created = await api.request(CreateFlowRunDocument, {
      input: { flow_id: DEMO.etl.flowId, ...(options.flowRunName === undefined ? {} : { flow_run_name: options.flowRunName }) },
    });
    flowRunId = created.create_flow_run?.id ?? undefined;
  } catch (error) {
    if (error instanceof SimulationError && error.code === 'NOT_FOUND') {
      throw new SimulationError(`${error.message} The simulator runs the demo flow '${FLOW_NAME}': start the server with --seed demo.`, { code: error.code });
    }
    throw error;
  }
  if (flowRunId === undefined) throw new SimulationError('create_flow_run returned no id');
  const id = flowRunId;
  const driver = new Driver(api, id, stepMs, options.signal);
  const done = Promise.resolve(options.startWhen)
    .then(() => drive(driver, settings))
    .catch(async (error: unknown) => {
      if (options.signal?.aborted !== true) throw error;
      // Stopped on purpose: leave no run behind that looks alive forever.
      await createGraphQLClient(connection)
        .request(CancelFlowRunDocument, { input: { flow_run_id: id } })
        .catch(() => undefined);
      return 'Cancelled' as const;
    });
  // The caller may never look at `done`; a failed step must not become an unhandled rejection.
  done.catch(() => undefined);
  return { flowRunId: id, done };
}

/**
 * Simulates one flow run from creation to its final state (see {@link startSimulatedFlowRun}).
 *
 * @returns the run's id and final state once its last log line is written.
 */
export async function simulateFlowRun(options: SimulateOptions): Promise<{ flowRunId: string; state: FinalState }> {
  const run = await startSimulatedFlowRun(options);
  return { flowRunId: run.flowRunId, state: await run.done };
}
