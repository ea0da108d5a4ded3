/**
 * Prefect's log line, `HH:MM:SS | LEVEL   | message`, coloured by level.
 */
import type { Palette } from './color.js';
import { formatClock, type TimeOptions } from './time.js';

/** Where the message starts: `HH:MM:SS | LEVEL   | `. */
const MESSAGE_COLUMN = 21;

/** What a log line needs (a `FlowRunLog` has it). */
export interface LogLineInput {
  readonly timestamp: Date;
  readonly level: number;
  readonly levelName: string;
  readonly message: string;
}

/** Colours `text` for a level: dim debug, plain info, yellow warnings, red errors, bold red critical. */
export function paintLevel(palette: Palette, level: number, text: string): string {
  if (level >= 50) return palette.bold(palette.red(text));
  if (level >= 40) return palette.red(text);
  if (level >= 30) return palette.yellow(text);
  if (level <= 10) return palette.dim(text);
  return text;
}

/** One line in the format of Prefect's `stream_flow_run_logs`; `label` replaces the level name (`STATE`, `TASK`). */
export function formatLogLine(
  log: LogLineInput,
  options: TimeOptions & { readonly palette: Palette; readonly label?: string; readonly indent?: string },
): string {
  const indent = options.indent ?? '';
  const { palette } = options;
  const clock = formatClock(log.timestamp, options);
  const level = paintLevel(palette, log.level, (options.label ?? log.levelName).padEnd(7));
  // Continuation lines (a traceback) line up under the message, not under the clock.
  const text = log.message.replace(/\r?\n/g, `\n${indent}${' '.repeat(MESSAGE_COLUMN)}`);
  const message = log.level >= 30 ? paintLevel(palette, log.level, text) : text;
  return `${indent}${clock} | ${level} | ${message}`;
}
