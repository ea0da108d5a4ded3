/**
 * Clock times and dates as the CLI prints them: core's formatting (local time by default, UTC
 * with `--utc`), and the CLI's `-` for a time that is not there.
 */
import { formatDateTime, type TimeOptions } from '@runview/core';

/** {@link formatDateTime}, or `-` for a missing time. */
export function formatOptionalDateTime(date: Date | null | undefined, options: TimeOptions): string {
  return date ? formatDateTime(date, options) : '-';
}
