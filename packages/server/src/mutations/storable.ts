/**
 * Input schemas for values that end up in a `varchar` or `jsonb` column: refused with an issue
 * naming the field (and the place inside it) when PostgreSQL could not store them (see
 * `db/storable-json.ts`), so the caller gets BAD_USER_INPUT instead of a database error.
 */
import { z } from 'zod';
import { unstorableJson, unstorableText } from '../db/storable-json.js';

/** A string PostgreSQL can store. */
export const storableText = z.string().superRefine((value, context) => {
  const problem = unstorableText(value);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
});

function refineStorable(value: unknown, context: z.RefinementCtx): void {
  // The issue's own path names the field: the problem's path starts inside it.
  const problem = unstorableJson(value, '')?.replace(/^: /, '');
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
}

/** Any JSON value PostgreSQL can store in a `jsonb` column. */
export const storableJson = z.unknown().superRefine(refineStorable);

/** A JSON object PostgreSQL can store (settings, parameters, context). */
export const storableJsonObject = z.record(z.string(), z.unknown()).superRefine(refineStorable);
