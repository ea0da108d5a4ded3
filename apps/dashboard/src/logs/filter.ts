import type { Log_Bool_Exp } from '@runview/documents';
import { LOG_LEVELS, storedLevelNames, type LogLevelName } from '../maps/logs';

/** Which task's lines to show: every line, only the flow run's own, or one task run's. */
export type LogSource = { readonly kind: 'all' } | { readonly kind: 'flow' } | { readonly kind: 'task'; readonly taskRunId: string; readonly label: string };

export const ALL_SOURCES: LogSource = { kind: 'all' };

/** The `where` of the log queries; absent criteria are left out, never sent as null. */
export function logFilter(levels: ReadonlySet<LogLevelName>, source: LogSource): Log_Bool_Exp {
  const filter: Log_Bool_Exp = {};
  if (levels.size < LOG_LEVELS.length) filter.level = { _in: storedLevelNames(levels) };
  if (source.kind === 'flow') filter.task_run_id = { _is_null: true };
  if (source.kind === 'task') filter.task_run_id = { _eq: source.taskRunId };
  return filter;
}
