// How times and durations read across the dashboard: local time, second precision, and
// compact durations a person can compare at a glance.

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `2021-05-12 19:59:56` in the viewer's local time, or an em dash when absent. */
export function formatTimestamp(iso: string | null | undefined): string {
  if (iso == null) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** `2021-05-12`, the local date of a log line, shown where it differs from the line before. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `19:59:56.383` for log lines, where the date is usually the same for every line. */
export function formatClock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** `1h 02m`, `3m 07s`, `4.2s`, `120ms`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)}s`;
  const totalSeconds = Math.round(seconds);
  const days = Math.floor(totalSeconds / 86400);
  const hours = Math.floor((totalSeconds % 86400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const secs = totalSeconds % 60;
  if (days > 0) return `${days}d ${pad(hours)}h`;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  return `${minutes}m ${pad(secs)}s`;
}

/** The time between two instants; a run still going is measured up to `now`. */
export function durationBetween(start: string | null | undefined, end: string | null | undefined, now = Date.now()): number | undefined {
  if (start == null) return undefined;
  const from = Date.parse(start);
  const to = end == null ? now : Date.parse(end);
  return Number.isNaN(from) || Number.isNaN(to) ? undefined : to - from;
}

/** A run's duration for a table cell: up to `now` while it runs, a dash before it starts. */
export function formatRunDuration(start: string | null | undefined, end: string | null | undefined, now = Date.now()): string {
  const ms = durationBetween(start, end, now);
  return ms === undefined ? '—' : formatDuration(ms);
}

/** `5 min ago`, `in 2 h`: for "last updated" hints, never for data. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (iso == null) return '—';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const diff = (now - then) / 1000;
  const abs = Math.abs(diff);
  // Past a week, "1234 d ago" says less than the date itself.
  if (abs > 7 * 86400) return formatTimestamp(iso);
  const [value, unit] =
    abs < 45 ? [0, ''] : abs < 3600 ? [Math.round(abs / 60), 'min'] : abs < 86400 ? [Math.round(abs / 3600), 'h'] : [Math.round(abs / 86400), 'd'];
  // A server clock a little ahead of the browser's is not "the future".
  if (unit === '' || (diff < 0 && abs < 120)) return 'just now';
  return diff >= 0 ? `${value} ${unit} ago` : `in ${value} ${unit}`;
}

/** The first block of a uuid: enough to tell runs apart in a dense table. */
export const shortId = (id: string): string => id.split('-')[0] ?? id;
