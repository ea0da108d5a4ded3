/** Pendulum's `diff_for_humans` for a past instant, as Prefect's messages print it: `5 minutes ago`. */

const UNITS: readonly (readonly [string, number])[] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** `a few seconds ago`, `1 minute ago`, `3 hours ago`... (`now` defaults to the current time). */
export function timeAgo(then: Date, now: Date = new Date()): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - then.getTime()) / 1000));
  for (const [unit, size] of UNITS) {
    const count = Math.floor(seconds / size);
    if (count >= 1) return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
  }
  return seconds < 10 ? 'a few seconds ago' : `${seconds} seconds ago`;
}
