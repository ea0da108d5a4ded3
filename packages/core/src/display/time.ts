/**
 * Clock times and dates as runview shows them: local time by default, UTC on request, to
 * the second (log lines may add milliseconds).
 */

/** How times are shown. */
export interface TimeOptions {
  /** UTC instead of the machine's local time (the CLI's `--utc`). */
  readonly utc: boolean;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function parts(date: Date, utc: boolean): [number, number, number, number, number, number] {
  return utc
    ? [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()]
    : [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds()];
}

/** `HH:MM:SS`, Prefect's log-line clock; `HH:MM:SS.mmm` with `milliseconds`. */
export function formatClock(date: Date, options: TimeOptions & { readonly milliseconds?: boolean | undefined }): string {
  const [, , , hours, minutes, seconds] = parts(date, options.utc);
  const clock = `${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
  if (options.milliseconds !== true) return clock;
  return `${clock}.${pad(options.utc ? date.getUTCMilliseconds() : date.getMilliseconds(), 3)}`;
}

/** `YYYY-MM-DD`, the date of a log line. */
export function formatDate(date: Date, options: TimeOptions): string {
  const [year, month, day] = parts(date, options.utc);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** `YYYY-MM-DD HH:MM:SS`, with a ` UTC` suffix in UTC mode. */
export function formatDateTime(date: Date, options: TimeOptions): string {
  return `${formatDate(date, options)} ${formatClock(date, options)}${options.utc ? ' UTC' : ''}`;
}
