// Log levels as @runview/core reads them: the API stores Python's level names, FlowRunLog
// holds Python's numbers, and the view's colours go by the number.
/** The levels a person filters logs by, lowest first. */
export { LOG_LEVEL_NAMES as LOG_LEVELS, type LogLevelName } from '@runview/prefect';

/** How a line's level (FlowRunLog.level) reads in the log view: `error` also covers CRITICAL. */
export function levelTone(level: number): 'debug' | 'info' | 'warning' | 'error' {
  return level >= 40 ? 'error' : level >= 30 ? 'warning' : level > 0 && level <= 10 ? 'debug' : 'info';
}

/** Which lines to show: every line, or one task run's. */
export type LogSource = { readonly kind: 'all' } | { readonly kind: 'task'; readonly taskRunId: string; readonly label: string };

export const ALL_SOURCES: LogSource = { kind: 'all' };
