/**
 * Durations parsed from options (`--timeout 90s`, `--since 15m`); printed by core's
 * `formatDuration` (`1h 2m 3s`), as the dashboard prints them.
 */
import { formatRunDuration } from '@runview/core';
import { parseTimestamp } from '@runview/prefect';
import { UsageError } from '../errors.js';

/** The time between two instants (up to now while running), or `-` when the run has not started. */
export function formatSpan(start: Date | null | undefined, end: Date | null | undefined, now: Date = new Date()): string {
  return formatRunDuration(start, end, now) ?? '-';
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;

/**
 * Parses `90` (seconds), `90s`, `5m`, `1h30m`, `250ms`, `2d` into milliseconds.
 *
 * @throws {@link UsageError} naming `option` when the text is not a positive duration.
 */
export function parseDuration(text: string, option: string): number {
  const trimmed = text.trim().toLowerCase();
  let ms: number;
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) {
    ms = Number(trimmed) * 1000;
  } else if (WHOLE.test(trimmed)) {
    ms = 0;
    for (const match of trimmed.matchAll(PART)) ms += Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1000);
  } else {
    throw new UsageError(`${option} must be a duration such as 30s, 5m, 1h30m or a number of seconds, got ${JSON.stringify(text)}`);
  }
  if (!(ms > 0) || !Number.isFinite(ms)) throw new UsageError(`${option} must be a positive duration, got ${JSON.stringify(text)}`);
  return ms;
}

/**
 * Parses `--since`: an ISO 8601 date or timestamp (`2021-05-12`, `2021-05-12T17:59:56Z`)
 * or a duration back from now (`15m`, `2h`, `1d`).
 */
export function parseSince(text: string, option = '--since', now: Date = new Date()): Date {
  const trimmed = text.trim();
  if (/^\d+(?:\.\d+)?(?:ms|s|m|h|d)/i.test(trimmed) && !/^\d{4}-/.test(trimmed)) {
    return new Date(now.getTime() - parseDuration(trimmed, option));
  }
  // The API's own rule set (no offset is UTC, as Prefect Server reads a time), not Date's.
  const timestamp = parseTimestamp(trimmed);
  if (timestamp !== null) return timestamp.date;
  throw new UsageError(`${option} must be an ISO 8601 time (2021-05-12T17:00:00Z) or a duration back from now (15m, 2h, 1d), got ${JSON.stringify(text)}`);
}
