import { z } from 'zod';
import { normalizeTimestamp } from '../graphql/timestamps.js';

/**
 * An ISO 8601 timestamp in any form Prefect clients send, normalized to explicit text with
 * its microseconds, so the database parses it without loss (a JavaScript Date would drop
 * them).
 */
export const isoTimestamp = z.string().transform((value, context) => {
  const normalized = normalizeTimestamp(value);
  if (normalized === undefined || normalized.startsWith('0000-')) {
    // PostgreSQL has no year 0 (1 BC), and Python's datetime no year before 1.
    context.addIssue({ code: 'custom', message: `expected an ISO 8601 timestamp, got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return normalized;
});

/**
 * A timestamp inside a serialized state (`start_time`, `cached_result_expiration`): a date, a
 * time with seconds and at most nine fractional digits, and an optional offset, because that is
 * what the project's client accepts when it reads the state back (and what pendulum writes).
 * Stricter than {@link isoTimestamp}, which also takes a date alone.
 */
const STATE_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?\s*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

export const stateTimestamp = z.string().superRefine((value, context) => {
  const normalized = STATE_TIMESTAMP.test(value.trim()) ? normalizeTimestamp(value) : undefined;
  if (normalized === undefined || normalized.startsWith('0000-')) {
    context.addIssue({ code: 'custom', message: `expected an ISO 8601 timestamp, got ${JSON.stringify(value)} (YYYY-MM-DDTHH:MM:SS[.ffffff][±HH:MM], year 1 or later)` });
  }
});

/**
 * A timestamp as Prefect writes it (`2021-05-12T17:59:56.383629+00:00`, pendulum's isoformat
 * in UTC), `extraMicroseconds` after `date`: microseconds are kept, and dropped when zero.
 */
export function formatTimestamp(date: Date, extraMicroseconds = 0): string {
  const micros = date.getTime() * 1000 + extraMicroseconds;
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros - seconds * 1_000_000;
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return `${base}${fraction === 0 ? '' : `.${String(fraction).padStart(6, '0')}`}+00:00`;
}
