/**
 * The task run table of `inspect` and `tasks`: slug, map index, state, start, duration.
 */
import { formatDateTime, type TaskRunStateCounts, type TaskRunView, type TimeOptions } from '@runview/core';
import type { Palette } from './color.js';
import { formatSpan } from './duration.js';
import { plural } from './format.js';
import { paintState, paintStateCounts } from './state.js';
import { MESSAGE_SHRINK, NAME_SHRINK, renderTable, type Column } from './table.js';

const COLUMNS: readonly Column[] = [
  { header: 'TASK', shrink: NAME_SHRINK },
  { header: 'MAP', align: 'right' },
  { header: 'STATE' },
  { header: 'STARTED' },
  { header: 'DURATION', align: 'right' },
  { header: 'MESSAGE', shrink: MESSAGE_SHRINK },
];

/** How a table is rendered. */
export interface TaskRunTableOptions extends TimeOptions {
  readonly palette: Palette;
  readonly width: number | null;
  /** Children counted by state, per mapped task id: shown under the mapped parent. */
  readonly mappedChildCounts?: ReadonlyMap<string, TaskRunStateCounts>;
  /** Children listed under their mapped parent (`--expand`), per task id. */
  readonly children?: ReadonlyMap<string, readonly TaskRunView[]>;
  readonly indent?: string;
}

function row(taskRun: TaskRunView, options: TaskRunTableOptions, slugPrefix = ''): string[] {
  return [
    `${slugPrefix}${taskRun.taskSlug ?? taskRun.name ?? taskRun.taskRunId}`,
    taskRun.mapIndex < 0 ? '-' : String(taskRun.mapIndex),
    paintState(options.palette, taskRun.state),
    taskRun.startTime ? formatDateTime(taskRun.startTime, options) : '-',
    formatSpan(taskRun.startTime, taskRun.endTime),
    taskRun.state.message ?? '',
  ];
}

/** The table's lines; mapped parents are followed by their children's counts or rows. */
export function renderTaskRuns(taskRuns: readonly TaskRunView[], options: TaskRunTableOptions): string[] {
  const rows: string[][] = [];
  for (const taskRun of taskRuns) {
    rows.push(row(taskRun, options));
    const children = options.children?.get(taskRun.taskId);
    const counts = options.mappedChildCounts?.get(taskRun.taskId);
    if (taskRun.mapIndex === -1 && children) {
      for (const child of children) rows.push(row(child, options, '  '));
    } else if (taskRun.mapIndex === -1 && counts && (counts.total > 0 || taskRun.state.isMapped())) {
      rows.push([`  └ ${plural(counts.total, 'child', 'children')}`, '', '', '', '', paintStateCounts(options.palette, counts)]);
    }
  }
  return renderTable(COLUMNS, rows, { width: options.width, palette: options.palette, ...(options.indent === undefined ? {} : { indent: options.indent }) });
}
