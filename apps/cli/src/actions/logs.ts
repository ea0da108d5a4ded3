/**
 * `runview logs`: a flow run's log lines in Prefect's format, filtered by level, task and
 * time, the first or last N, or followed until the run ends. A closed stdout (`| head`) ends
 * the command quietly with exit code 0.
 */
import { FlowRunView, formatTimestamp, levelNumber, type FlowRunLog, type LogCursor, type LogFilterOptions } from '@runview/core';
import type { Context } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { followFlowRun } from '../follow.js';
import { logJson } from '../json/models.js';
import { parseDuration, parseSince } from '../output/duration.js';
import { formatLogLine, LogClock, type TimestampStyle } from '../output/log-line.js';
import { resolveFlowRunId } from '../resolve.js';
import { taskRunIdsOf } from './task-selection.js';

/** The options of `runview logs`. */
export interface LogsOptions {
  readonly name?: string;
  readonly follow?: boolean;
  readonly level?: string;
  readonly task?: string;
  readonly mapIndex?: number;
  readonly head?: number;
  readonly tail?: number;
  readonly since?: string;
  readonly interval?: string;
  readonly timestamps?: TimestampStyle;
}

const STANDARD_LEVELS = [10, 20, 30, 40, 50] as const;

/** `--level warning` → the levels at or above WARNING. */
function levelsFrom(text: string): number[] {
  const upper = text.trim().toUpperCase();
  const level = /^\d+$/.test(upper) ? Number(upper) : levelNumber(upper);
  if (level === 0 && upper !== '0') throw new UsageError(`--level: ${JSON.stringify(text)} is not a log level (DEBUG, INFO, WARNING, ERROR, CRITICAL).`);
  return STANDARD_LEVELS.filter((standard) => standard >= level);
}

/** A cursor just before `since`: the first line at or after it comes next. */
function cursorAt(since: Date): LogCursor {
  return { timestamp: formatTimestamp(since), id: '00000000-0000-0000-0000-000000000000' };
}

/** Prints a flow run's logs. */
export async function logs(context: Context, id: string | undefined, options: LogsOptions): Promise<number> {
  if (options.head !== undefined && options.tail !== undefined) throw new UsageError('Give --head or --tail, not both.');
  if (options.follow === true && options.head !== undefined)
    throw new UsageError('--head shows the first lines and stops; it cannot be combined with --follow.');
  if (options.mapIndex !== undefined && options.task === undefined) throw new UsageError('--map-index selects a child of --task: give --task too.');
  const levels = options.level === undefined ? undefined : levelsFrom(options.level);
  const since = options.since === undefined ? undefined : parseSince(options.since);
  const pollIntervalMs = options.interval === undefined ? undefined : parseDuration(options.interval, '--interval');
  const flowRunId = await resolveFlowRunId(context, id, options.name);
  const signal = context.io.signal;
  const flowRun = await FlowRunView.fromFlowRunId(flowRunId, { client: context.client(), signal });
  // One task run is filtered by the server; a mapped task's children are filtered here.
  const taskRunIds = options.task === undefined ? undefined : await taskRunIdsOf(context, flowRun, options.task, options.mapIndex);
  const filter: LogFilterOptions = {
    ...(levels === undefined ? {} : { levels }),
    ...(taskRunIds?.size === 1 ? { taskRunId: [...taskRunIds][0] } : {}),
    ...(since === undefined ? {} : { startTime: since }),
  };
  const wanted = (log: FlowRunLog): boolean =>
    (levels === undefined || levels.includes(log.level)) && (taskRunIds === undefined || (log.taskRunId !== null && taskRunIds.has(log.taskRunId)));
  const clock = new LogClock({ utc: context.utc }, options.timestamps);
  const print = (log: FlowRunLog): void => {
    if (!wanted(log)) return;
    if (context.json) context.printJsonLine('log', logJson(log));
    else context.print(formatLogLine(log, { utc: context.utc, palette: context.palette, clock }));
  };

  let cursor: LogCursor | null = since === undefined ? null : cursorAt(since);
  if (options.head !== undefined) {
    for (const log of await flowRun.headLogs(options.head, { ...filter, signal })) print(log);
    return EXIT.success;
  }
  if (options.tail !== undefined) {
    const tail = await flowRun.tailLogs(options.tail, { ...filter, signal });
    for (const log of tail) print(log);
    // Following after a tail starts after its last line; with no line, after whatever exists now.
    cursor = tail.at(-1)?.cursor ?? cursorAt(new Date());
  } else if (options.follow !== true) {
    for await (const log of flowRun.iterLogs({ ...filter, signal })) {
      print(log);
      // Nobody reads any more (`| head`): the remaining pages are not worth a request.
      if (context.outputClosed()) break;
    }
    return EXIT.success;
  }
  if (options.follow !== true || context.outputClosed()) return EXIT.success;

  // Following reads every line and filters here: the watcher streams the whole run. It stops
  // when the run ends, on Ctrl-C, or when stdout's reader has gone.
  const stop = AbortSignal.any([signal, context.stdoutClosed].filter((item): item is AbortSignal => item !== undefined));
  const followed = followFlowRun(flowRunId, {
    client: context.client(),
    signal: stop,
    streamStates: false,
    streamTaskRuns: false,
    afterLog: cursor,
    ...(pollIntervalMs === undefined ? {} : { pollIntervalMs }),
  });
  try {
    for await (const event of followed) if (event.type === 'log') print(event.log);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ABORTED') {
      if (context.outputClosed()) return EXIT.success;
      if (signal?.aborted === true) throw new CliError('Stopped following.', { exitCode: EXIT.interrupted, code: 'INTERRUPTED', cause: error });
    }
    throw error;
  }
  return EXIT.success;
}
