/**
 * Clock times and dates as the CLI prints them: local time by default, UTC with `--utc`.
 */

/** How times are shown. */
export interface TimeOptions {
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

/** `HH:MM:SS`, Prefect's log-line clock. */
export function formatClock(date: Date, options: TimeOptions): string {
  const [, , , hours, minutes, seconds] = parts(date, options.utc);
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
}

/** `YYYY-MM-DD`, the date of a log line. */
export function formatDate(date: Date, options: TimeOptions): string {
  const [year, month, day] = parts(date, options.utc);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** `YYYY-MM-DD HH:MM:SS`, with a ` UTC` suffix in UTC mode. */
export function formatDateTime(date: Date, options: TimeOptions): string {
  const [year, month, day, hours, minutes, seconds] = parts(date, options.utc);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)} ${pad(hours)}:${pad(minutes)}:${pad(seconds)}${options.utc ? ' UTC' : ''}`;
}

/** {@link formatDateTime}, or `-` for a missing time. */
export function formatOptionalDateTime(date: Date | null | undefined, options: TimeOptions): string {
  return date ? formatDateTime(date, options) : '-';
}
