/**
 * `runview watch`: a flow run's state changes, task run changes and logs as they happen,
 * until it ends. Exit code 0 when it ends successful, 1 when it fails or is cancelled, 5 when
 * `--timeout` passes first (see exit-codes.ts). A closed stdout (`| head`) stops the printing,
 * not the watch: the exit code is still the run's.
 */
import { formatDuration, type FlowRunView, type State } from '@runview/core';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { followFlowRun, type WatchEvent } from '../follow.js';
import { flowRunJson } from '../json/models.js';
import { parseDuration } from '../output/duration.js';
import { eventJson, formatEvent, formatTaskRunBurst } from '../output/events.js';
import { LogClock, type TimestampStyle } from '../output/log-line.js';
import { Spinner } from '../output/spinner.js';
import { paintState, paintStateWithMessage } from '../output/state.js';
import { resolveFlowRunId } from '../resolve.js';

/** The options of `runview watch`. */
export interface WatchOptions {
  readonly name?: string;
  readonly timeout?: string;
  readonly interval?: string;
  readonly timestamps?: TimestampStyle;
}

type TaskRunEvent = Extract<WatchEvent, { type: 'taskRun' }>;

const IDLE = Symbol('idle');

/** Resolves after the pending microtasks: an event that is already there arrives first. */
function idle(): Promise<typeof IDLE> {
  return new Promise((resolve) => {
    setImmediate(() => {
      resolve(IDLE);
    });
  });
}

/**
 * The events, with task run events that arrive together (a replay) handed over as one burst,
 * so that mapped children come in map-index order and can be summarised.
 */
async function* withBursts(events: AsyncIterable<WatchEvent>): AsyncGenerator<WatchEvent | TaskRunEvent[]> {
  const iterator = events[Symbol.asyncIterator]();
  let pending = iterator.next();
  let burst: TaskRunEvent[] = [];
  for (;;) {
    const result = burst.length === 0 ? await pending : await Promise.race([pending, idle()]);
    if (result === IDLE) {
      yield burst;
      burst = [];
      continue;
    }
    if (result.done === true) break;
    pending = iterator.next();
    if (result.value.type === 'taskRun') {
      burst.push(result.value);
      continue;
    }
    if (burst.length > 0) yield burst;
    burst = [];
    yield result.value;
  }
  if (burst.length > 0) yield burst;
}

/** Watches a flow run to its end. */
export async function watch(context: Context, id: string | undefined, options: WatchOptions): Promise<number> {
  const timeoutMs = options.timeout === undefined ? undefined : parseDuration(options.timeout, '--timeout');
  const pollIntervalMs = options.interval === undefined ? undefined : parseDuration(options.interval, '--interval');
  const flowRunId = await resolveFlowRunId(context, id, options.name);
  const startedAt = Date.now();
  let current: State | null = null;
  let name = flowRunId;
  const spinner = new Spinner(
    context.io.stdout,
    () => `${current ? paintState(context.palette, current) : 'Loading'} · ${formatDuration(Date.now() - startedAt)} · watching ${name}`,
    !context.json && context.interactive,
  );
  const followed = followFlowRun(flowRunId, { client: context.client(), signal: context.io.signal, timeoutMs, pollIntervalMs });
  const lineOptions = { utc: context.utc, palette: context.palette, clock: new LogClock({ utc: context.utc }, options.timestamps) };
  const print = (event: WatchEvent): void => {
    if (context.json) {
      const { type, data } = eventJson(event);
      context.printJsonLine(type, data);
    } else context.print(formatEvent(event, lineOptions));
  };
  let final: FlowRunView;
  spinner.start();
  try {
    for await (const item of withBursts(followed)) {
      spinner.clear();
      if (!Array.isArray(item)) {
        if (item.type === 'state') current = item.state;
        print(item);
      } else if (context.json) {
        for (const event of [...item].sort((a, b) => a.taskRun.taskId.localeCompare(b.taskRun.taskId) || a.taskRun.mapIndex - b.taskRun.mapIndex)) print(event);
      } else context.printLines(formatTaskRunBurst(item, lineOptions));
    }
    final = await followed.result;
  } catch (error) {
    spinner.stop();
    const code = (error as { code?: unknown }).code;
    if (code === 'TIMEOUT' && timeoutMs !== undefined) {
      const after = `Timed out after ${formatDuration(timeoutMs)}`;
      const message = current ? `${after}: flow run ${name} is still ${current.type}.` : `${after} before the API answered about flow run ${name}.`;
      throw new CliError(message, { exitCode: EXIT.timeout, code: 'WATCH_TIMEOUT', cause: error });
    }
    if (code === 'ABORTED' && context.io.signal?.aborted === true) {
      throw new CliError(`Stopped watching flow run ${name}.`, { exitCode: EXIT.interrupted, code: 'INTERRUPTED', cause: error });
    }
    throw error;
  } finally {
    spinner.stop();
  }
  name = final.name ?? final.flowRunId;
  const exitCode = final.state.isSuccessful() ? EXIT.success : EXIT.runFailed;
  if (context.json) context.printJsonLine('result', { exitCode, flowRun: flowRunJson(final) });
  else context.print(`Flow run ${name} ended in state ${paintStateWithMessage(context.palette, final.state)}`);
  return exitCode;
}
