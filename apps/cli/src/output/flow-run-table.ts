/**
 * The flow run table of `runs` and `flow`: name, id, state, flow, start, duration.
 */
import { formatDateTime, formatRunDuration, tryParseTimestamp, type FlowRunSummary, type TimeOptions } from '@runview/core';
import type { Palette } from './color.js';
import { paintStateName } from './state.js';
import { ID_SHRINK, MESSAGE_SHRINK, NAME_SHRINK, renderTable, type Column } from './table.js';

const COLUMNS: readonly Column[] = [
  { header: 'NAME', shrink: NAME_SHRINK },
  { header: 'ID', shrink: ID_SHRINK },
  { header: 'STATE' },
  { header: 'FLOW', shrink: NAME_SHRINK },
  { header: 'STARTED' },
  { header: 'DURATION', align: 'right' },
  { header: 'MESSAGE', shrink: MESSAGE_SHRINK },
];

/** A time of a summary as a `Date`, or null. */
function summaryDate(value: string | null): Date | null {
  return value === null ? null : (tryParseTimestamp(value)?.date ?? null);
}

/** The table's lines. */
export function renderFlowRuns(
  flowRuns: readonly FlowRunSummary[],
  options: TimeOptions & { readonly palette: Palette; readonly width: number | null; readonly indent?: string },
): string[] {
  const rows = flowRuns.map((run) => {
    const start = summaryDate(run.startTime);
    return [
      run.name ?? '-',
      run.flowRunId,
      paintStateName(options.palette, run.state),
      run.flowName,
      start ? formatDateTime(start, options) : '-',
      formatRunDuration(run.startTime, run.endTime) ?? '-',
      run.stateMessage ?? '',
    ];
  });
  return renderTable(COLUMNS, rows, { width: options.width, palette: options.palette, ...(options.indent === undefined ? {} : { indent: options.indent }) });
}
