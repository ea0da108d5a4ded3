/**
 * Timestamps as the API sends them, read and written by the rules of `@runview/prefect` (one
 * rule set for client and server, exact to the microsecond); this module adds the typed errors
 * of a caller's argument.
 */
import { formatTimestamp as formatPrefectTimestamp, parseTimestamp as readTimestamp, type Timestamp } from '@runview/prefect';
import { InvalidArgumentError } from './errors.js';

export { compareTimestamps, type Timestamp } from '@runview/prefect';

/** Parses an API timestamp, or returns null when the text is not one. */
export function tryParseTimestamp(raw: string): Timestamp | null {
  return readTimestamp(raw);
}

/**
 * Parses an API timestamp.
 *
 * @throws {@link InvalidArgumentError} when the text is not an ISO 8601 timestamp.
 */
export function parseTimestamp(raw: string, argument = 'timestamp'): Timestamp {
  const parsed = readTimestamp(raw);
  if (!parsed) throw new InvalidArgumentError(argument, `${argument} is not an ISO 8601 timestamp: ${JSON.stringify(raw)}`);
  return parsed;
}

/**
 * Formats a `Date` the way Python's `isoformat()` does for a UTC datetime, which is what
 * Prefect writes and what the API accepts: `2021-05-12T17:59:56.383000+00:00`.
 *
 * @throws {@link InvalidArgumentError} for an invalid `Date` or one outside years 1 to 9999.
 */
export function formatTimestamp(date: Date): string {
  try {
    return formatPrefectTimestamp(date);
  } catch (error) {
    throw new InvalidArgumentError('date', `${String(date)} cannot be sent as a timestamp: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * A time bound given by a caller: a `Date`, or an ISO string sent as is (keeping its
 * microseconds). Returns the string to send.
 */
export function timeBound(value: Date | string, argument: string): string {
  if (typeof value === 'string') return parseTimestamp(value, argument).raw;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new InvalidArgumentError(argument, `${argument} must be a valid Date or an ISO 8601 string`);
  }
  return formatTimestamp(value);
}
