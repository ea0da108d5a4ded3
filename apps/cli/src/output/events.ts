/**
 * The events of a followed flow run as lines (Prefect's log-line format, with the state and
 * task run changes as lines of their own) and as JSON lines.
 */
import type { WatchEvent } from '../follow.js';
import type { Palette } from './color.js';
import { formatLogLine } from './log-line.js';
import { paintState } from './state.js';
import type { TimeOptions } from './time.js';

/** One line for an event. */
export function formatEvent(event: WatchEvent, options: TimeOptions & { readonly palette: Palette }): string {
  const { palette } = options;
  switch (event.type) {
    case 'log':
      return formatLogLine(event.log, options);
    case 'state': {
      const message = `Entered state <${paintState(palette, event.state)}>: ${event.state.message ?? 'None'}`;
      return formatLogLine({ timestamp: event.timestamp, level: 20, levelName: 'STATE', message }, options);
    }
    case 'taskRun': {
      const { taskRun } = event;
      const index = taskRun.mapIndex === -1 ? '' : `[${String(taskRun.mapIndex)}]`;
      const message = `Task run ${taskRun.taskSlug ?? taskRun.taskRunId}${index} entered state <${paintState(palette, taskRun.state)}>: ${taskRun.state.message ?? 'None'}`;
      return formatLogLine({ timestamp: event.timestamp, level: 20, levelName: 'TASK', message }, options);
    }
    case 'warning':
      return formatLogLine({ timestamp: event.timestamp, level: 30, levelName: 'WARNING', message: event.message }, options);
  }
}

/** One JSON line for an event, from the views' `toJSON()`. */
export function eventJson(event: WatchEvent): Record<string, unknown> {
  switch (event.type) {
    case 'log':
      return { type: 'log', ...event.log.toJSON() };
    case 'state':
      return { type: 'state', timestamp: event.timestamp.toISOString(), state: event.state.serialize() };
    case 'taskRun':
      return { type: 'taskRun', timestamp: event.timestamp.toISOString(), taskRun: event.taskRun.toJSON() };
    case 'warning':
      return { type: 'warning', timestamp: event.timestamp.toISOString(), message: event.message };
  }
}
