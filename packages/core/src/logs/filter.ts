/**
 * The server-side filter of a log query, built as a typed `log_bool_exp` with absent criteria
 * omitted (never sent as null).
 */
import type { Log_Bool_Exp, Timestamptz_Comparison_Exp } from '@runview/documents';
import { requireUuid } from '../arguments.js';
import { timeBound } from '../time.js';
import { levelFilterNames, type LogLevelName } from './levels.js';

/** Which lines of a flow run to read. */
export interface LogFilterOptions {
  /** Only lines after this time (exclusive, as Prefect's `get_logs`). A string keeps its microseconds. */
  readonly startTime?: Date | string | undefined;
  /** Only lines up to this time (inclusive). */
  readonly endTime?: Date | string | undefined;
  /** Only these levels (names or Python numbers); an empty list means every level. */
  readonly levels?: readonly (LogLevelName | number)[] | undefined;
  /** Only the lines of this task run. */
  readonly taskRunId?: string | undefined;
}

/** Builds the `log_bool_exp` of a filter; `{}` when nothing narrows it. */
export function buildLogFilter(options: LogFilterOptions): Log_Bool_Exp {
  const filter: Log_Bool_Exp = {};
  const timestamp: Timestamptz_Comparison_Exp = {};
  if (options.startTime !== undefined) timestamp._gt = timeBound(options.startTime, 'startTime');
  if (options.endTime !== undefined) timestamp._lte = timeBound(options.endTime, 'endTime');
  if (Object.keys(timestamp).length > 0) filter.timestamp = timestamp;
  if (options.levels !== undefined && options.levels.length > 0) filter.level = { _in: levelFilterNames(options.levels) };
  if (options.taskRunId !== undefined) filter.task_run_id = { _eq: requireUuid(options.taskRunId, 'taskRunId') };
  return filter;
}
