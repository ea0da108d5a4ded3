import { z } from 'zod';
import { badUserInput } from '../graphql/errors.js';
import { isoTimestamp } from '../states/index.js';

/** A uuid in any of the canonical hyphenated forms; the error names the value it got. */
export const uuid = z.guid({ error: (issue) => `expected a uuid, got ${JSON.stringify(issue.input)}` });

/** An ISO 8601 timestamp, kept as text so the database keeps its microseconds. */
export const timestamp = isoTimestamp;

/** A JSON object argument (`parameters`, `context`, `run_config`). */
export const jsonObject = z.record(z.string(), z.unknown());

/**
 * Validates a mutation's `input` against its schema. GraphQL has already checked the shape;
 * this checks what GraphQL's scalars do not (uuids, timestamps, JSON objects) and turns the
 * first problems into one BAD_USER_INPUT error naming the field and the value.
 */
export function parseInput<S extends z.ZodType>(mutation: string, schema: S, args: Record<string, unknown>): z.output<S> {
  const result = schema.safeParse(args['input']);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`);
  throw badUserInput(`Invalid input for ${mutation}: ${issues.join('; ')}.`);
}

/** The input of the mutations that take just a flow run (`cancel_flow_run`, `delete_flow_run`). */
export const flowRunIdInput = z.object({ flow_run_id: uuid });
