import { z } from 'zod';
import { normalizeTimestamp } from '../graphql/timestamps.js';

export { formatTimestamp } from '@runview/prefect';

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
