/**
 * `runview logs`: a flow run's log lines in Prefect's format, filtered by level, task and
 * time, the first or last N, or followed until the run ends.
 */
import { FlowRunView, formatTimestamp, levelNumber, type FlowRunLog, type LogCursor, type LogFilterOptions } from '@runview/core';
import type { Context } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { followFlowRun } from '../follow.js';
import { parseDuration, parseSince } from '../output/duration.js';
import { formatLogLine } from '../output/log-line.js';
import { requireId } from '../resolve.js';

/** The options of `runview logs`. */
export interface LogsOptions {
  readonly follow?: boolean;
  readonly level?: string;
  readonly task?: string;
  readonly mapIndex?: number;
  readonly head?: number;
  readonly tail?: number;
  readonly since?: string;
  readonly interval?: string;
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
export async function logs(context: Context, id: string, options: LogsOptions): Promise<number> {
  const flowRunId = requireId(id);
  if (options.head !== undefined && options.tail !== undefined) throw new UsageError('Give --head or --tail, not both.');
  if (options.follow === true && options.head !== undefined) throw new UsageError('--head shows the first lines and stops; it cannot be combined with --follow.');
  if (options.mapIndex !== undefined && options.task === undefined) throw new UsageError('--map-index selects a child of --task: give --task too.');
  const levels = options.level === undefined ? undefined : levelsFrom(options.level);
  const since = options.since === undefined ? undefined : parseSince(options.since);
  const signal = context.io.signal;
  const flowRun = await FlowRunView.fromFlowRunId(flowRunId, { client: context.client(), signal });
  const taskRunId =
    options.task === undefined ? undefined : (await flowRun.getTaskRun({ taskSlug: options.task, mapIndex: options.mapIndex ?? -1, signal })).taskRunId;
  const filter: LogFilterOptions = {
    ...(levels === undefined ? {} : { levels }),
    ...(taskRunId === undefined ? {} : { taskRunId }),
    ...(since === undefined ? {} : { startTime: since }),
  };
  const print = (log: FlowRunLog): void => {
    if (context.json) context.printJsonLine(log.toJSON());
    else context.print(formatLogLine(log, { utc: context.utc, palette: context.palette }));
  };

  let cursor: LogCursor | null = since === undefined ? null : cursorAt(since);
  if (options.head !== undefined) {
    for (const log of await flowRun.headLogs(options.head, { ...filter, signal })) print(log);
    return 0;
  }
  if (options.tail !== undefined) {
    const tail = await flowRun.tailLogs(options.tail, { ...filter, signal });
    for (const log of tail) print(log);
    // Following after a tail starts after its last line; with no line, after whatever exists now.
    cursor = tail.at(-1)?.cursor ?? cursorAt(new Date());
  } else if (options.follow !== true) {
    for await (const log of flowRun.iterLogs({ ...filter, signal })) print(log);
    return 0;
  }
  if (options.follow !== true) return 0;

  // Following reads every line and filters here: the watcher streams the whole run.
  const wanted = (log: FlowRunLog): boolean =>
    (levels === undefined || levels.includes(log.level)) && (taskRunId === undefined || log.taskRunId === taskRunId);
  const followed = followFlowRun(flowRunId, {
    client: context.client(),
    signal,
    streamStates: false,
    streamTaskRuns: false,
    afterLog: cursor,
    ...(options.interval === undefined ? {} : { pollIntervalMs: parseDuration(options.interval, '--interval') }),
  });
  try {
    for await (const event of followed) if (event.type === 'log' && wanted(event.log)) print(event.log);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ABORTED' && signal?.aborted === true) throw new CliError('Stopped following.', { exitCode: 130, cause: error });
    throw error;
  }
  return 0;
}
