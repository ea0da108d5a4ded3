/**
 * The shapes the API sends, validated with zod where responses enter the package. The
 * generated types say what a conforming server sends; these schemas check that this server
 * did, so a drifted API fails with a clear `InvalidResponseError` instead of a wrong value
 * deep inside a view. Unknown keys (`__typename`) are dropped.
 */
import { z } from 'zod';
import { InvalidResponseError } from '../errors.js';
import { issueLines, jsonObject, timestampString, uuidString } from '../schemas.js';

const uuid = uuidString;
const timestamp = timestampString;
const count = z.object({ aggregate: z.object({ count: z.number().int().nonnegative() }).nullable() });

/** `FlowRunFields`. */
export const flowRunWire = z.object({
  id: uuid,
  name: z.string().nullable(),
  flow_id: uuid,
  version: z.number().int(),
  labels: z.array(z.string()).nullable(),
  parameters: jsonObject.nullable(),
  context: jsonObject.nullable(),
  run_config: jsonObject.nullable(),
  state: z.string().nullable(),
  state_message: z.string().nullable(),
  serialized_state: z.unknown(),
  scheduled_start_time: timestamp,
  start_time: timestamp.nullable(),
  end_time: timestamp.nullable(),
  created: timestamp,
  updated: timestamp,
  states: z.array(z.object({ id: uuid, timestamp, serialized_state: z.unknown() })),
});

/** `TaskRunFields`. */
export const taskRunWire = z.object({
  id: uuid,
  name: z.string().nullable(),
  flow_run_id: uuid,
  task_id: uuid,
  map_index: z.number().int(),
  version: z.number().int(),
  state: z.string().nullable(),
  state_message: z.string().nullable(),
  serialized_state: z.unknown(),
  start_time: timestamp.nullable(),
  end_time: timestamp.nullable(),
  updated: timestamp,
  task: z.object({ id: uuid, name: z.string().nullable(), slug: z.string().nullable(), mapped: z.boolean() }),
});

/** `FlowFields`. */
export const flowWire = z.object({
  id: uuid,
  name: z.string(),
  version: z.number().int().nullable(),
  core_version: z.string().nullable(),
  archived: z.boolean(),
  created: timestamp,
  storage: jsonObject.nullable(),
  run_config: jsonObject.nullable(),
  settings: jsonObject.nullable(),
  serialized_flow: jsonObject.nullable(),
  flow_group_id: uuid,
  project: z.object({ id: uuid, name: z.string() }),
  flow_group: z.object({ id: uuid, labels: z.array(z.string()).nullable() }),
});

/** `FlowRunLogFields`. */
export const logWire = z.object({
  id: uuid,
  flow_run_id: uuid.nullable(),
  task_run_id: uuid.nullable(),
  timestamp,
  level: z.string().nullable(),
  name: z.string().nullable(),
  message: z.string().nullable(),
});

/** `{ aggregate { count } }`. */
export const aggregateWire = count;

export type FlowRunWire = z.infer<typeof flowRunWire>;
export type TaskRunWire = z.infer<typeof taskRunWire>;
export type FlowWire = z.infer<typeof flowWire>;
export type LogWire = z.infer<typeof logWire>;

/**
 * Validates a response (or part of one) against its schema.
 *
 * @throws {@link InvalidResponseError} naming the operation and every mismatch with its path.
 */
export function parseWire<T>(schema: z.ZodType<T>, value: unknown, operationName: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = issueLines(result.error).slice(0, 10);
  throw new InvalidResponseError(operationName, problems, { cause: result.error });
}

/** The count of an aggregate (0 when the aggregate is null). */
export function aggregateCount(value: z.infer<typeof count>): number {
  return value.aggregate?.count ?? 0;
}
