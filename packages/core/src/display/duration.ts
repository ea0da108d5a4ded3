/**
 * Durations as runview prints them, in the CLI and the dashboard alike: `850ms`, `4.2s`,
 * `2m 5s`, `1h 0m 12s`, `35d 0h` (the README's examples). One rule set, so the same run
 * reads the same everywhere.
 */
import { tryParseTimestamp } from '../time.js';
import { InvalidArgumentError } from '../errors.js';

/** An instant as a view holds it (`Date`) or as the API sends it (a timestamp string). */
export type Instant = Date | string;

/**
 * `850ms`, `4.2s`, `2m 5s`, `1h 0m 12s`, `3d 4h`. A negative duration (a clock a little
 * behind another) reads as zero.
 *
 * @throws {@link InvalidArgumentError} for a duration that is not a finite number.
 */
export function formatDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds))
    throw new InvalidArgumentError('milliseconds', `A duration must be a finite number of milliseconds, got ${String(milliseconds)}`);
  const ms = Math.max(0, Math.round(milliseconds));
  if (ms < 1000) return `${ms}ms`;
  if (ms < 10_000) return ms % 1000 === 0 ? `${ms / 1000}s` : `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const totalSeconds = Math.floor(ms / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m ${seconds}s`;
  if (minutes > 0) return `${minutes}m ${seconds}s`;
  return `${seconds}s`;
}

/** An instant in milliseconds since the epoch, or null when absent or not a timestamp. */
export function instantMs(instant: Instant | null | undefined): number | null {
  if (instant === null || instant === undefined) return null;
  if (instant instanceof Date) return Number.isNaN(instant.getTime()) ? null : instant.getTime();
  return tryParseTimestamp(instant)?.date.getTime() ?? null;
}

/**
 * How long a run has run: from `start` to `end`, or up to `now` while it is still running;
 * null before it starts (or when a time is not a timestamp).
 */
export function runDuration(start: Instant | null | undefined, end: Instant | null | undefined, now: Instant = new Date()): number | null {
  const from = instantMs(start);
  const to = end === null || end === undefined ? instantMs(now) : instantMs(end);
  return from === null || to === null ? null : to - from;
}

/** {@link runDuration} as text, or null before the run starts. */
export function formatRunDuration(start: Instant | null | undefined, end: Instant | null | undefined, now: Instant = new Date()): string | null {
  const ms = runDuration(start, end, now);
  return ms === null ? null : formatDuration(ms);
}
