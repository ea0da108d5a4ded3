// How times and durations read across the dashboard: core's display layer (the same text the
// CLI prints for the same run), in the viewer's local time, with an em dash for what is absent.
import { formatClock as clockOf, formatDate as dateOf, formatDateTime, formatRunDuration as runDurationText, instantMs, timeAgo } from '@runview/core';

const LOCAL = { utc: false } as const;

/** An API timestamp as a Date, read by the API's rules (no offset is UTC), or null. */
function dateFrom(iso: string): Date | null {
  const ms = instantMs(iso);
  return ms === null ? null : new Date(ms);
}

/** `2021-05-12 19:59:56` in the viewer's local time, or an em dash when absent. */
export function formatTimestamp(iso: string | null | undefined): string {
  if (iso == null) return '—';
  const date = dateFrom(iso);
  return date === null ? iso : formatDateTime(date, LOCAL);
}

/** `2021-05-12`, the local date of a log line, shown where it differs from the line before. */
export function formatDate(iso: string): string {
  const date = dateFrom(iso);
  return date === null ? '' : dateOf(date, LOCAL);
}

/** `19:59:56.383` for log lines, where the date is usually the same for every line. */
export function formatClock(iso: string): string {
  const date = dateFrom(iso);
  return date === null ? iso : clockOf(date, { ...LOCAL, milliseconds: true });
}

/** A run's duration for a table cell: up to `now` while it runs, a dash before it starts. */
export function formatRunDuration(start: string | null | undefined, end: string | null | undefined, now = Date.now()): string {
  return runDurationText(start, end, new Date(now)) ?? '—';
}

/** Past a week, "3 weeks ago" says less than the date itself. */
const RELATIVE_MS = 7 * 86_400_000;

/** `5 minutes ago`: for "last updated" hints, never for data. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (iso == null) return '—';
  const then = instantMs(iso);
  if (then === null) return iso;
  return now - then > RELATIVE_MS ? formatTimestamp(iso) : timeAgo(new Date(then), new Date(now));
}

/** The first block of a uuid: enough to tell runs apart in a dense table. */
export const shortId = (id: string): string => id.split('-')[0] ?? id;
