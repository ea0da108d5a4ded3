/**
 * The zod building blocks every boundary of the package validates with: `zod/mini`, zod's
 * tree-shakable form, so that a browser bundle carries only the checks it uses.
 */
import type { JsonObject } from '@runview/documents';
import * as z from 'zod/mini';
import { isUuid } from './arguments.js';
import { InvalidArgumentError } from './errors.js';
import { tryParseTimestamp } from './time.js';

/** A hyphenated uuid. */
export const uuidString = z.string().check(z.refine(isUuid, { error: 'not a uuid' }));

/** An ISO 8601 timestamp as the API writes them. */
export const timestampString = z.string().check(z.refine((value) => tryParseTimestamp(value) !== null, { error: 'not an ISO 8601 timestamp' }));

/** A JSON object (`jsonb` that must be an object). */
export const jsonObject = z.record(z.string(), z.json()) as unknown as z.ZodMiniType<JsonObject>;

/** One line per problem, with its path. */
export function issueLines(error: z.core.$ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/**
 * Parses a caller's input (a view's JSON, a cursor).
 *
 * @throws {@link InvalidArgumentError} naming `what` and every problem.
 */
export function parseInput<T>(schema: z.core.$ZodType<T>, value: unknown, argument: string, what: string): T {
  const parsed = z.safeParse(schema, value);
  if (parsed.success) return parsed.data;
  throw new InvalidArgumentError(argument, `${argument} is not ${what}: ${issueLines(parsed.error).join('; ')}`, { cause: parsed.error });
}
