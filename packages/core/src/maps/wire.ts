/**
 * The shapes the API sends, validated with zod where responses enter the package. The
 * generated types say what a conforming server sends; these schemas check that this server
 * did, so a drifted API fails with a clear `InvalidResponseError` instead of a wrong value
 * deep inside a view. Unknown keys (`__typename`) are dropped.
 */
import type { FlowFieldsFragment, FlowRunFieldsFragment, FlowRunLogFieldsFragment, TaskRunFieldsFragment } from '@runview/documents';
import * as z from 'zod/mini';
import { InvalidResponseError } from '../errors.js';
import { issueLines, jsonObject, timestampString, uuidString } from '../schemas.js';

const uuid = uuidString;
const timestamp = timestampString;
const count = z.object({ aggregate: z.nullable(z.object({ count: z.int().check(z.nonnegative()) })) });

/** `FlowRunFields`. */
export const flowRunWire = z.object({
  id: uuid,
  name: z.nullable(z.string()),
  flow_id: uuid,
  version: z.int(),
  labels: z.nullable(z.array(z.string())),
  parameters: z.nullable(jsonObject),
  context: z.nullable(jsonObject),
  run_config: z.nullable(jsonObject),
  state: z.nullable(z.string()),
  state_message: z.nullable(z.string()),
  serialized_state: z.unknown(),
  scheduled_start_time: timestamp,
  start_time: z.nullable(timestamp),
  end_time: z.nullable(timestamp),
  created: timestamp,
  updated: timestamp,
  states: z.array(z.object({ id: uuid, timestamp, serialized_state: z.unknown() })),
});

/** `TaskRunFields`. */
export const taskRunWire = z.object({
  id: uuid,
  name: z.nullable(z.string()),
  flow_run_id: uuid,
  task_id: uuid,
  map_index: z.int(),
  version: z.int(),
  state: z.nullable(z.string()),
  state_message: z.nullable(z.string()),
  serialized_state: z.unknown(),
  start_time: z.nullable(timestamp),
  end_time: z.nullable(timestamp),
  updated: timestamp,
  task: z.object({ id: uuid, name: z.nullable(z.string()), slug: z.nullable(z.string()), mapped: z.boolean() }),
});

/** `FlowFields`. */
export const flowWire = z.object({
  id: uuid,
  name: z.string(),
  version: z.nullable(z.int()),
  core_version: z.nullable(z.string()),
  archived: z.boolean(),
  created: timestamp,
  storage: z.nullable(jsonObject),
  run_config: z.nullable(jsonObject),
  settings: z.nullable(jsonObject),
  serialized_flow: z.nullable(jsonObject),
  flow_group_id: uuid,
  project: z.object({ id: uuid, name: z.string() }),
  flow_group: z.object({ id: uuid, labels: z.nullable(z.array(z.string())) }),
});

/** `FlowRunLogFields`. */
export const logWire = z.object({
  id: uuid,
  flow_run_id: z.nullable(uuid),
  task_run_id: z.nullable(uuid),
  timestamp,
  level: z.nullable(z.string()),
  name: z.nullable(z.string()),
  message: z.nullable(z.string()),
});

/** `{ aggregate { count } }`. */
export const aggregateWire = count;

export type FlowRunWire = z.infer<typeof flowRunWire>;
export type TaskRunWire = z.infer<typeof taskRunWire>;
export type FlowWire = z.infer<typeof flowWire>;
export type LogWire = z.infer<typeof logWire>;

/**
 * `true` when a schema reads exactly the fields its fragment selects, else what differs: a
 * field added to or removed from a fragment (the generated type) and not here fails to
 * compile, instead of being dropped or missed silently at run time.
 */
type SameFields<Schema, Fragment> = [Exclude<keyof Fragment, keyof Schema>, Exclude<keyof Schema, keyof Fragment>] extends [never, never]
  ? true
  : { readonly notReadHere: Exclude<keyof Fragment, keyof Schema>; readonly notInTheFragment: Exclude<keyof Schema, keyof Fragment> };

/** The element of a selected list. */
type Item<List> = List extends readonly (infer Element)[] ? Element : never;

/** Compiles only when `Check` is `true`. */
type Expect<Check extends true> = Check;

/** Checked by the compiler only: each line is a selection set of a fragment and its schema. */
export type WireMatchesFragments = [
  Expect<SameFields<FlowRunWire, FlowRunFieldsFragment>>,
  Expect<SameFields<Item<FlowRunWire['states']>, Item<FlowRunFieldsFragment['states']>>>,
  Expect<SameFields<TaskRunWire, TaskRunFieldsFragment>>,
  Expect<SameFields<TaskRunWire['task'], TaskRunFieldsFragment['task']>>,
  Expect<SameFields<FlowWire, FlowFieldsFragment>>,
  Expect<SameFields<FlowWire['project'], FlowFieldsFragment['project']>>,
  Expect<SameFields<FlowWire['flow_group'], FlowFieldsFragment['flow_group']>>,
  Expect<SameFields<LogWire, FlowRunLogFieldsFragment>>,
];

/**
 * Validates a response (or part of one) against its schema.
 *
 * @throws {@link InvalidResponseError} naming the operation and every mismatch with its path.
 */
export function parseWire<T>(schema: z.core.$ZodType<T>, value: unknown, operationName: string): T {
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  const problems = issueLines(result.error).slice(0, 10);
  throw new InvalidResponseError(operationName, problems, { cause: result.error });
}

/** The count of an aggregate (0 when the aggregate is null). */
export function aggregateCount(value: z.infer<typeof count>): number {
  return value.aggregate?.count ?? 0;
}
