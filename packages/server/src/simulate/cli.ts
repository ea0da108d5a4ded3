import { parseArgs } from 'node:util';
import { ServeUsageError } from '../config.js';
import { SimulationError } from './client.js';
import { runSimulationLoop } from './loop.js';
import { simulateFlowRun, type SimulateOptions } from './run.js';

/** Where the command writes (the process's streams by default). */
export interface CommandOutput {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export const SIMULATE_USAGE = `Usage: runview-server simulate [options]

Plays Prefect Core 1.4.1's agent and flow runner against a running server: registers the flow
'etl' (extract, a mapped transform, load) in the project 'simulator' from a compressed string,
creates a run, picks it up with a registered agent (get_runs_in_queue), submits it, and runs it
with heartbeats, get_or_create_task_run_info per task and mapped child, task states with their
versions, and log lines uploaded in batches with the runner's own timestamps.

Options:
  --url <url>            the server, posted to as given (default http://127.0.0.1:4200)
  --api-key <key>        a read-write API key (default: $RUNVIEW_API_KEY)
  --tenant-id <uuid>     sent as X-PREFECT-TENANT-ID (default: the server's first tenant)
  --outcome <state>      Success or Failed (default Success)
  --tasks <n>            mapped transform children (default 3)
  --logs-per-task <n>    log lines per task run (default 2)
  --step-ms <ms>         pause between steps (default 500)
  --log-upload-ms <ms>   upload log lines every <ms>, as Prefect does every 5000
                         (default: before each state and new task run)
  --name <name>          the flow run's name (default: generated)
  --every <seconds>      start a new run every <seconds> until interrupted
  --count <n>            with --every: stop after <n> runs
  -h, --help             show this help
`;

function integer(value: string | undefined, option: string, minimum: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < minimum)
    throw new ServeUsageError(`--${option} must be an integer >= ${String(minimum)}, got ${JSON.stringify(value)}`);
  return parsed;
}

function positive(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new ServeUsageError(`--${option} must be a positive number of seconds, got ${JSON.stringify(value)}`);
  return parsed;
}

function outcomeOf(value: string | undefined): 'Success' | 'Failed' | undefined {
  if (value === undefined) return undefined;
  const normalized = value.toLowerCase();
  if (normalized === 'success') return 'Success';
  if (normalized === 'failed') return 'Failed';
  throw new ServeUsageError(`--outcome must be Success or Failed, got ${JSON.stringify(value)}`);
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string', default: 'http://127.0.0.1:4200' },
        'api-key': { type: 'string' },
        'tenant-id': { type: 'string' },
        outcome: { type: 'string' },
        tasks: { type: 'string' },
        'logs-per-task': { type: 'string' },
        'step-ms': { type: 'string' },
        'log-upload-ms': { type: 'string' },
        name: { type: 'string' },
        every: { type: 'string' },
        count: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new ServeUsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Builds the simulation options from the command line and the environment. */
function optionsOf(values: ReturnType<typeof parse>, env: NodeJS.ProcessEnv): SimulateOptions {
  const apiKey = values['api-key'] ?? env['RUNVIEW_API_KEY'];
  const outcome = outcomeOf(values.outcome);
  const taskCount = integer(values.tasks, 'tasks', 0);
  const logsPerTask = integer(values['logs-per-task'], 'logs-per-task', 0);
  const stepMs = integer(values['step-ms'], 'step-ms', 0);
  const logUploadMs = integer(values['log-upload-ms'], 'log-upload-ms', 1);
  return {
    url: values.url,
    ...(apiKey === undefined || apiKey === '' ? {} : { apiKey }),
    ...(values['tenant-id'] === undefined ? {} : { tenantId: values['tenant-id'] }),
    ...(outcome === undefined ? {} : { outcome }),
    ...(taskCount === undefined ? {} : { taskCount }),
    ...(logsPerTask === undefined ? {} : { logsPerTask }),
    ...(stepMs === undefined ? {} : { stepMs }),
    ...(logUploadMs === undefined ? {} : { logUploadMs }),
    ...(values.name === undefined ? {} : { flowRunName: values.name }),
  };
}

/** The requests of a simulated run, as a line: what went over the wire, as Prefect sends it. */
export function describeCalls(calls: ReadonlyMap<string, number>): string {
  const total = [...calls.values()].reduce((sum, n) => sum + n, 0);
  const each = [...calls].map(([field, n]) => (n === 1 ? field : `${field} ×${String(n)}`)).join(', ');
  return `${String(total)} requests, as Prefect Core's register, agent and flow runner send them: ${each}`;
}

function describeError(error: unknown): string {
  if (error instanceof SimulationError) return error.message;
  if (error instanceof Error && error.name === 'AbortError') return 'interrupted';
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * `runview-server simulate`: simulates one flow run (or, with `--every`, a new one every N
 * seconds until `signal` aborts or Ctrl-C). Returns the exit code: 0 when the runs were
 * driven to their final state (whichever outcome was asked for), 1 when the server refused
 * or could not be reached, 2 for a usage error.
 */
export async function runSimulateCommand(
  argv: readonly string[],
  output: CommandOutput = process,
  options: { signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
  let values: ReturnType<typeof parse>;
  let simulate: SimulateOptions;
  let everySeconds: number | undefined;
  let count: number | undefined;
  try {
    values = parse(argv);
    if (values.help === true) {
      output.stdout.write(SIMULATE_USAGE);
      return 0;
    }
    simulate = optionsOf(values, options.env ?? process.env);
    everySeconds = positive(values.every, 'every');
    count = integer(values.count, 'count', 1);
    if (count !== undefined && everySeconds === undefined) throw new ServeUsageError('--count needs --every');
  } catch (error) {
    if (!(error instanceof ServeUsageError)) throw error;
    output.stderr.write(`runview-server simulate: ${error.message}\n\n${SIMULATE_USAGE}`);
    return 2;
  }

  const controller = new AbortController();
  const stop = (): void => {
    controller.abort();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  const interactive = options.signal === undefined;
  if (interactive) process.once('SIGINT', stop);
  try {
    if (everySeconds === undefined) {
      const run = await simulateFlowRun({ ...simulate, signal: controller.signal });
      output.stdout.write(`Flow run ${run.flowRunId} finished: ${run.state}\n${describeCalls(run.calls)}\n`);
      return run.state === 'Cancelled' ? 1 : 0;
    }
    let failures = 0;
    await runSimulationLoop({
      ...simulate,
      everySeconds,
      ...(count === undefined ? {} : { count }),
      signal: controller.signal,
      onStart: (id) => output.stdout.write(`Flow run ${id} started\n`),
      onFinish: (id, state) => output.stdout.write(`Flow run ${id} finished: ${state}\n`),
      onError: (error) => {
        failures += 1;
        output.stderr.write(`runview-server simulate: ${describeError(error)}\n`);
      },
    });
    return failures === 0 ? 0 : 1;
  } catch (error) {
    output.stderr.write(`runview-server simulate: ${describeError(error)}\n`);
    return 1;
  } finally {
    options.signal?.removeEventListener('abort', stop);
    if (interactive) process.off('SIGINT', stop);
  }
}
