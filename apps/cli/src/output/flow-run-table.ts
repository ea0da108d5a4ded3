/**
 * The flow run table of `runs` and `flow`: name, id, state, flow, start, duration.
 */
import type { FlowRunSummary } from '../flow-runs.js';
import { summaryDate } from '../flow-runs.js';
import type { Palette } from './color.js';
import { formatSpan } from './duration.js';
import { paintStateName } from './state.js';
import { renderTable, type Column } from './table.js';
import { formatDateTime, type TimeOptions } from './time.js';

const COLUMNS: readonly Column[] = [
  { header: 'NAME', flexible: true },
  { header: 'ID' },
  { header: 'STATE' },
  { header: 'FLOW', flexible: true },
  { header: 'STARTED' },
  { header: 'DURATION', align: 'right' },
  { header: 'MESSAGE', flexible: true },
];

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
      formatSpan(start, summaryDate(run.endTime)),
      run.stateMessage ?? '',
    ];
  });
  return renderTable(COLUMNS, rows, { width: options.width, palette: options.palette, ...(options.indent === undefined ? {} : { indent: options.indent }) });
}
