/**
 * The events of a followed flow run as lines (Prefect's log-line format, with the state and
 * task run changes as lines of their own) and as JSON lines of the `--json` contract.
 */
import type { TaskRunView, TimeOptions } from '@runview/core';
import type { WatchEvent } from '../follow.js';
import type { JsonType } from '../json/envelope.js';
import { logJson, stateJson, taskRunJson } from '../json/models.js';
import { jsonTime } from '../json/time.js';
import type { Palette } from './color.js';
import { formatLogLine, type LogClock } from './log-line.js';
import { paintState } from './state.js';

type LineOptions = TimeOptions & { readonly palette: Palette; readonly clock?: LogClock };

function taskRunMessage(taskRun: TaskRunView, palette: Palette): string {
  const index = taskRun.mapIndex === -1 ? '' : `[${String(taskRun.mapIndex)}]`;
  return `Task run ${taskRun.taskSlug ?? taskRun.taskRunId}${index} entered state <${paintState(palette, taskRun.state)}>: ${taskRun.state.message ?? 'None'}`;
}

/** One line for an event. */
export function formatEvent(event: WatchEvent, options: LineOptions): string {
  const { palette } = options;
  switch (event.type) {
    case 'log':
      return formatLogLine(event.log, options);
    case 'state': {
      const message = `Entered state <${paintState(palette, event.state)}>: ${event.state.message ?? 'None'}`;
      return formatLogLine({ timestamp: event.timestamp, level: 20, levelName: 'STATE', message }, options);
    }
    case 'taskRun':
      return formatLogLine({ timestamp: event.timestamp, level: 20, levelName: 'TASK', message: taskRunMessage(event.taskRun, palette) }, options);
    case 'warning':
      return formatLogLine({ timestamp: event.timestamp, level: 30, levelName: 'WARNING', message: event.message }, options);
  }
}

/** `0-3, 7, 9-12`. */
function indexRanges(indexes: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indexes.length;) {
    let j = i;
    while (j + 1 < indexes.length && indexes[j + 1] === (indexes[j] ?? 0) + 1) j++;
    parts.push(i === j ? String(indexes[i]) : `${String(indexes[i])}-${String(indexes[j])}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** How many mapped children of one task in one state are listed one by one before they are summarised. */
export const SUMMARY_THRESHOLD = 4;

/**
 * The lines for a burst of task run events (a replay of a progressed run's task runs arrives as
 * one): each task's mapped children in map-index order, and a task's children that entered the
 * same state summarised in one line (`transform-1[0-49] 50 mapped children entered state
 * <Pending>`) when there are more than {@link SUMMARY_THRESHOLD}.
 */
export function formatTaskRunBurst(events: readonly Extract<WatchEvent, { type: 'taskRun' }>[], options: LineOptions): string[] {
  const lines: string[] = [];
  const groups = new Map<string, Extract<WatchEvent, { type: 'taskRun' }>[]>();
  for (const event of events) {
    const { taskRun } = event;
    const key = taskRun.mapIndex < 0 ? `parent:${taskRun.taskRunId}` : `${taskRun.taskId}:${taskRun.state.type}`;
    const group = groups.get(key) ?? [];
    group.push(event);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    group.sort((a, b) => a.taskRun.mapIndex - b.taskRun.mapIndex);
    const [first] = group;
    if (!first) continue;
    if (first.taskRun.mapIndex < 0 || group.length <= SUMMARY_THRESHOLD) {
      for (const event of group) lines.push(formatEvent(event, options));
      continue;
    }
    const latest = group.reduce((a, b) => (b.timestamp > a.timestamp ? b : a));
    const slug = first.taskRun.taskSlug ?? first.taskRun.taskId;
    const message = `Task run ${slug}[${indexRanges(group.map((event) => event.taskRun.mapIndex))}]: ${String(group.length)} mapped children entered state <${paintState(options.palette, first.taskRun.state)}>`;
    lines.push(formatLogLine({ timestamp: latest.timestamp, level: 20, levelName: 'TASK', message }, options));
  }
  return lines;
}

/** The JSON line of an event: its envelope type and payload. */
export function eventJson(event: WatchEvent): { type: JsonType; data: unknown } {
  switch (event.type) {
    case 'log':
      return { type: 'log', data: logJson(event.log) };
    case 'state':
      return { type: 'state', data: { timestamp: jsonTime(event.timestamp), ...stateJson(event.state) } };
    case 'taskRun':
      return { type: 'taskRun', data: { timestamp: jsonTime(event.timestamp), taskRun: taskRunJson(event.taskRun) } };
    case 'warning':
      return { type: 'warning', data: { timestamp: jsonTime(event.timestamp), message: event.message } };
  }
}
