import { z } from 'zod';
import { normalizeTimestamp } from '../graphql/timestamps.js';

/**
 * An ISO 8601 timestamp in any form Prefect clients send, normalized to explicit text with
 * its microseconds, so the database parses it without loss (a JavaScript Date would drop
 * them).
 */
export const isoTimestamp = z.string().transform((value, context) => {
  const normalized = normalizeTimestamp(value);
  if (normalized === undefined) {
    context.addIssue({ code: 'custom', message: `expected an ISO 8601 timestamp, got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return normalized;
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
