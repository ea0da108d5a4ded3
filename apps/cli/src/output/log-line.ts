/**
 * Prefect's log line, `HH:MM:SS | LEVEL   | message`, coloured by level. Prefect shows the
 * clock only; runview adds the date to the first line and to every line whose date differs from
 * the line before (runs can span weeks), or to every line with `--timestamps full`.
 */
import { formatClock, formatDate, type TimeOptions } from '@runview/core';
import type { Palette } from './color.js';

/** `clock`: the date only when it changes; `full`: the date on every line. */
export type TimestampStyle = 'clock' | 'full';

/** The stamps of one stream of lines: it remembers the date of the line before. */
export class LogClock {
  readonly #options: TimeOptions;
  readonly #style: TimestampStyle;
  #lastDate: string | null = null;

  constructor(options: TimeOptions, style: TimestampStyle = 'clock') {
    this.#options = options;
    this.#style = style;
  }

  /** `HH:MM:SS`, or `YYYY-MM-DD HH:MM:SS` when the date changed (or always with `full`). */
  stamp(date: Date): string {
    const day = formatDate(date, this.#options);
    const changed = day !== this.#lastDate;
    this.#lastDate = day;
    const clock = formatClock(date, this.#options);
    return changed || this.#style === 'full' ? `${day} ${clock}` : clock;
  }
}

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
  options: TimeOptions & { readonly palette: Palette; readonly clock?: LogClock; readonly label?: string; readonly indent?: string },
): string {
  const indent = options.indent ?? '';
  const { palette } = options;
  const clock = options.clock ? options.clock.stamp(log.timestamp) : formatClock(log.timestamp, options);
  const level = paintLevel(palette, log.level, (options.label ?? log.levelName).padEnd(7));
  // Continuation lines (a traceback) line up under the message, not under the clock.
  const text = log.message.replace(/\r?\n/g, `\n${indent}${' '.repeat(clock.length + 13)}`);
  const message = log.level >= 30 ? paintLevel(palette, log.level, text) : text;
  return `${indent}${clock} | ${level} | ${message}`;
}
