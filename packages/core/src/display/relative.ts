/**
 * Relative times, as Prefect's own messages print them (Pendulum's `diff_for_humans`):
 * `a few seconds ago`, `5 minutes ago`. The CLI's agent warnings and the dashboard's
 * "updated" hints read the same. A time ahead of `now` (a server's clock ahead of the
 * reader's) reads as now: never "in the future".
 */

const UNITS: readonly (readonly [string, number])[] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

function phrase(seconds: number): string {
  for (const [unit, size] of UNITS) {
    const count = Math.floor(seconds / size);
    if (count >= 1) return `${count} ${unit}${count === 1 ? '' : 's'}`;
  }
  return seconds < 10 ? 'a few seconds' : `${seconds} seconds`;
}

/** `a few seconds ago`, `1 minute ago`, `3 hours ago`... (`now` defaults to the current time). */
export function timeAgo(then: Date, now: Date = new Date()): string {
  return `${phrase(Math.max(0, Math.floor((now.getTime() - then.getTime()) / 1000)))} ago`;
}
