/**
 * The one timestamp format of `--json`: ISO 8601 in UTC with microseconds,
 * `2021-05-12T17:59:56.383629Z`, whatever form the API sent (`+00:00`, 0 to 6 digits).
 * Prefect keeps microseconds, so they are kept; a `Date` (milliseconds) gets three zeros.
 */
import { tryParseTimestamp } from '@runview/core';

function isoMicros(date: Date, micros: number): string {
  return `${date.toISOString().slice(0, 19)}.${String(micros).padStart(6, '0')}Z`;
}

/** A timestamp in the JSON format; null stays null, an unparseable string is kept as sent. */
export function jsonTime(value: string | Date | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return isoMicros(value, value.getUTCMilliseconds() * 1000);
  const parsed = tryParseTimestamp(value);
  if (!parsed) return value;
  return isoMicros(parsed.date, Number(parsed.epochMicros % 1_000_000n));
}

/** {@link jsonTime} for a value that is never null. */
export function requiredJsonTime(value: string | Date): string {
  return jsonTime(value) ?? '';
}
