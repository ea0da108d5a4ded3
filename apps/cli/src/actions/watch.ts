/**
 * `runview watch`: a flow run's state changes, task run changes and logs as they happen,
 * until it ends. Exit code 0 when it ends successful, 1 when it fails or is cancelled, 2 when
 * `--timeout` passes first, as Prefect's `prefect run --watch`.
 */
import type { FlowRunView, State } from '@runview/core';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import { followFlowRun } from '../follow.js';
import { formatDuration, parseDuration } from '../output/duration.js';
import { eventJson, formatEvent } from '../output/events.js';
import { Spinner } from '../output/spinner.js';
import { paintState, paintStateWithMessage } from '../output/state.js';
import { requireId } from '../resolve.js';

/** The options of `runview watch`. */
export interface WatchOptions {
  readonly timeout?: string;
  readonly interval?: string;
}

/** The exit codes of `watch`. */
export const WATCH_EXIT = { success: 0, failed: 1, timeout: 2, interrupted: 130 } as const;

/** Watches a flow run to its end. */
export async function watch(context: Context, id: string, options: WatchOptions): Promise<number> {
  const flowRunId = requireId(id);
  const timeoutMs = options.timeout === undefined ? undefined : parseDuration(options.timeout, '--timeout');
  const pollIntervalMs = options.interval === undefined ? undefined : parseDuration(options.interval, '--interval');
  const startedAt = Date.now();
  let current: State | null = null;
  let name = flowRunId;
  const spinner = new Spinner(
    context.io.stdout,
    () => `${current ? paintState(context.palette, current) : 'Loading'} · ${formatDuration(Date.now() - startedAt)} · watching ${name}`,
    !context.json && context.interactive,
  );
  const followed = followFlowRun(flowRunId, {
    client: context.client(),
    signal: context.io.signal,
    timeoutMs,
    pollIntervalMs,
  });
  let final: FlowRunView;
  spinner.start();
  try {
    for await (const event of followed) {
      spinner.clear();
      if (event.type === 'state') current = event.state;
      if (context.json) context.printJsonLine(eventJson(event));
      else context.print(formatEvent(event, { utc: context.utc, palette: context.palette }));
    }
    final = await followed.result;
  } catch (error) {
    spinner.stop();
    const code = (error as { code?: unknown }).code;
    if (code === 'TIMEOUT' && timeoutMs !== undefined) {
      const after = `Timed out after ${formatDuration(timeoutMs)}`;
      const message = current ? `${after}: flow run ${name} is still ${current.type}.` : `${after} before the API answered about flow run ${name}.`;
      throw new CliError(message, { exitCode: WATCH_EXIT.timeout, cause: error });
    }
    if (code === 'ABORTED' && context.io.signal?.aborted === true) {
      throw new CliError(`Stopped watching flow run ${name}.`, { exitCode: WATCH_EXIT.interrupted, cause: error });
    }
    throw error;
  } finally {
    spinner.stop();
  }
  name = final.name ?? final.flowRunId;
  const exitCode = final.state.isSuccessful() ? WATCH_EXIT.success : WATCH_EXIT.failed;
  if (context.json) context.printJsonLine({ type: 'result', exitCode, flowRun: final.toJSON() });
  else context.print(`Flow run ${name} ended in state ${paintStateWithMessage(context.palette, final.state)}`);
  return exitCode;
}
