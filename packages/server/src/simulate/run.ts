import { randomUUID } from 'node:crypto';
import { SimulatorCancelFlowRunDocument, SimulatorCreateFlowRunDocument } from '@runview/documents/simulator';
import { defaultTenant, SimulatedAgent } from './agent.js';
import { SimulationError } from './client.js';
import { LogQueue } from './log-queue.js';
import { createPrefectClient, type PrefectClient } from './prefect-client.js';
import { registerFlow } from './register.js';
import { FLOW_RUNNER, pause, runFlow, type RunPlan } from './runner.js';

/** How a simulated run ends: as asked, or Cancelled when its signal aborted it. */
export type FinalState = 'Success' | 'Failed' | 'Cancelled';

export interface SimulateOptions {
  /** The server: its URL, posted to as given (Prefect's default `http://localhost:4200` has no path). */
  readonly url: string;
  /** A read-write API key, when the server requires one. */
  readonly apiKey?: string;
  /** Sent as `X-PREFECT-TENANT-ID`, and the tenant the agent works for (default: the server's first). */
  readonly tenantId?: string;
  /** Pause between two steps (state changes and log lines), in milliseconds. Default 500. */
  readonly stepMs?: number;
  /** How the run ends. Default `Success`; `Failed` fails the last mapped child. */
  readonly outcome?: 'Success' | 'Failed';
  /** Number of mapped `transform` children (task runs besides extract and load). Default 3. */
  readonly taskCount?: number;
  /** Log lines each task run writes while running. Default 2. */
  readonly logsPerTask?: number;
  /**
   * Upload the runner's log lines every this many milliseconds, as Prefect's log handler does
   * every 5 s: lines then land behind the states set meanwhile, the last ones after the final
   * state. Default: before each change to the run's history (a state, a new task run), so a
   * reader never sees a change before the lines logged ahead of it; batched and stamped by the
   * runner all the same.
   */
  readonly logUploadMs?: number;
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
  /** The requests sent for this run so far, by root field, in the order each was first sent. */
  readonly calls: ReadonlyMap<string, number>;
}

function count(value: number | undefined, fallback: number, what: string): number {
  const result = value ?? fallback;
  if (!Number.isInteger(result) || result < 0) throw new SimulationError(`${what} must be a non-negative integer, got ${String(value)}`);
  return result;
}

/** The agent picks the run up, then the flow runner runs it; the log queue is emptied at the end. */
async function drive(
  api: PrefectClient,
  flowRunId: string,
  tenantId: () => Promise<string>,
  options: { plan: RunPlan; stepMs: number; logUploadMs: number | undefined; signal: AbortSignal | undefined },
): Promise<FinalState> {
  const { stepMs, signal } = options;
  await pause(stepMs, signal);
  const agent = await SimulatedAgent.start(api, await tenantId(), signal);
  await agent.submit(await agent.pickUp(flowRunId));
  await pause(stepMs, signal);
  const logs = new LogQueue(api, flowRunId, options.logUploadMs);
  logs.start();
  try {
    const state = await runFlow({ api, flowRunId, logs, stepMs, signal }, options.plan);
    // Lines can land after the final state (the runner uploads its queue last): whoever
    // follows the run has to drain them.
    await pause(stepMs, signal);
    logs.log({ message: 'Flow run finished; the runner is shutting down.', name: FLOW_RUNNER });
    await logs.close();
    return state;
  } finally {
    logs.stop();
  }
}

/**
 * Registers the flow `etl` (extract, a mapped transform, load) in the project `simulator` if
 * it is not registered yet, creates a run of it and returns as soon as the run exists, then
 * drives it in the background as Prefect Core 1.4.1's agent and flow and task runners do:
 * an agent registers, picks the run up with `get_runs_in_queue` and submits it; the flow
 * runner sets it Running, sends heartbeats, creates a task run per task and mapped child with
 * `get_or_create_task_run_info`, sets task states with their versions and the final state,
 * and uploads its log lines in batches, stamped when they were logged. A last line lands
 * after the final state.
 *
 * @throws SimulationError when the server cannot be reached or refuses to register or create the run.
 */
export async function startSimulatedFlowRun(options: SimulateOptions): Promise<SimulatedFlowRun> {
  const stepMs = count(options.stepMs, 500, 'stepMs');
  const plan: RunPlan = {
    outcome: options.outcome ?? 'Success',
    taskCount: count(options.taskCount, 3, 'taskCount'),
    logsPerTask: count(options.logsPerTask, 2, 'logsPerTask'),
  };
  const connection = {
    url: options.url,
    ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
    ...(options.tenantId === undefined ? {} : { tenantId: options.tenantId }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  };
  const api = createPrefectClient({ ...connection, ...(options.signal === undefined ? {} : { signal: options.signal }) });
  let tenant: Promise<string> | undefined;
  const tenantId = (): Promise<string> => (tenant ??= options.tenantId === undefined ? defaultTenant(api) : Promise.resolve(options.tenantId));

  const flowId = await registerFlow(api, `${api.url} ${options.apiKey ?? ''} ${options.tenantId ?? ''}`, tenantId);
  const created = await api.request(SimulatorCreateFlowRunDocument, {
    input: {
      flow_id: flowId,
      idempotency_key: randomUUID().replaceAll('-', ''),
      parameters: {},
      context: {},
      ...(options.flowRunName === undefined ? {} : { flow_run_name: options.flowRunName }),
    },
  });
  const id = created.create_flow_run?.id;
  if (!id) throw new SimulationError('create_flow_run returned no id');
  const done = Promise.resolve(options.startWhen)
    .then(() => drive(api, id, tenantId, { plan, stepMs, logUploadMs: options.logUploadMs, signal: options.signal }))
    .catch(async (error: unknown) => {
      if (options.signal?.aborted !== true) throw error;
      // Stopped on purpose: leave no run behind that looks alive forever.
      await createPrefectClient(connection)
        .request(SimulatorCancelFlowRunDocument, { input: { flow_run_id: id } })
        .catch(() => undefined);
      return 'Cancelled' as const;
    });
  // The caller may never look at `done`; a failed step must not become an unhandled rejection.
  done.catch(() => undefined);
  return { flowRunId: id, done, calls: api.calls };
}

/**
 * Simulates one flow run from creation to its final state (see {@link startSimulatedFlowRun}).
 *
 * @returns the run's id and final state once its last log line is written.
 */
export async function simulateFlowRun(options: SimulateOptions): Promise<{ flowRunId: string; state: FinalState; calls: ReadonlyMap<string, number> }> {
  const run = await startSimulatedFlowRun(options);
  return { flowRunId: run.flowRunId, state: await run.done, calls: run.calls };
}
