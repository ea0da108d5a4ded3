/** The zod building blocks every boundary of the package validates with. */
import type { JsonObject } from '@runview/documents';
import { z } from 'zod';
import { isUuid } from './arguments.js';
import { InvalidArgumentError } from './errors.js';
import { tryParseTimestamp } from './time.js';

/** A hyphenated uuid. */
export const uuidString = z.string().refine(isUuid, { error: 'not a uuid' });

/** An ISO 8601 timestamp as the API writes them. */
export const timestampString = z.string().refine((value) => tryParseTimestamp(value) !== null, { error: 'not an ISO 8601 timestamp' });

/** A JSON object (`jsonb` that must be an object). */
export const jsonObject = z.record(z.string(), z.json()) as unknown as z.ZodType<JsonObject>;

/** One line per problem, with its path. */
export function issueLines(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/**
 * Parses a caller's input (a view's JSON, a cursor).
 *
 * @throws {@link InvalidArgumentError} naming `what` and every problem.
 */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, argument: string, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InvalidArgumentError(argument, `${argument} is not ${what}: ${issueLines(parsed.error).join('; ')}`, { cause: parsed.error });
}
