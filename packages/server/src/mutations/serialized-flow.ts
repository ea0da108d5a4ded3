/**
 * The parts of Prefect Core's serialized flow (`flow.serialize()`) that Prefect Server reads
 * when it registers a flow, read as leniently as its models do: unknown keys are kept, tasks
 * and reference tasks may be the abbreviated `{slug, __version__}` objects Core sends, a
 * trigger is reduced to its `fn`.
 */
import { z } from 'zod';
import type { JsonValue } from '../db/tables.js';
import { badUserInput } from '../graphql/errors.js';

/** Prefect Server refuses flows built with Prefect Core older than this. */
const CORE_VERSION_CUTOFF = [0, 6, 1] as const;

/** A task referenced by slug: Core sends `{slug, __version__}`, older clients the slug itself. */
const slugRef = z.union([z.string(), z.looseObject({ slug: z.string() }).transform((task) => task.slug)]);

const nullishString = z
  .string()
  .nullish()
  .transform((value) => value ?? null);

/** `retry_delay`: Core sends seconds; Prefect Server also takes interval text (`00:01:00`). */
const retryDelay = z
  .union([z.number().nonnegative(), z.string()])
  .nullish()
  .transform((value) => (typeof value === 'number' ? `${String(value)} seconds` : (value ?? null)));

export const serializedTask = z.looseObject({
  slug: z.string().min(1),
  name: nullishString,
  type: nullishString,
  auto_generated: z
    .boolean()
    .nullish()
    .transform((value) => value ?? false),
  tags: z
    .array(z.string())
    .nullish()
    .transform((value) => value ?? []),
  max_retries: z
    .number()
    .int()
    .nullish()
    .transform((value) => value ?? 0),
  retry_delay: retryDelay,
  cache_key: nullishString,
  trigger: z
    .union([z.string(), z.looseObject({ fn: z.string().nullish() }).transform((trigger) => trigger.fn ?? null)])
    .nullish()
    .transform((value) => value ?? null),
});

export type SerializedTask = z.output<typeof serializedTask>;

export const serializedEdge = z.looseObject({
  upstream_task: slugRef,
  downstream_task: slugRef,
  mapped: z
    .boolean()
    .nullish()
    .transform((value) => value ?? false),
  key: nullishString,
});

export type SerializedEdge = z.output<typeof serializedEdge>;

const jsonRecord = z.record(z.string(), z.unknown());

export const serializedFlow = z.looseObject({
  name: z.string({ error: 'a flow needs a name' }).min(1, 'a flow needs a name'),
  tasks: z
    .array(serializedTask)
    .nullish()
    .transform((value) => value ?? []),
  edges: z
    .array(serializedEdge)
    .nullish()
    .transform((value) => value ?? []),
  parameters: z
    .array(z.looseObject({ slug: z.string(), name: z.string().nullish(), required: z.boolean().nullish() }))
    .nullish()
    .transform((value) => value ?? []),
  environment: jsonRecord.nullish().transform((value) => value ?? null),
  run_config: jsonRecord.nullish().transform((value) => value ?? null),
  storage: jsonRecord.nullish().transform((value) => value ?? null),
  schedule: z
    .looseObject({ clocks: z.array(jsonRecord).nullish() })
    .nullish()
    .transform((value) => value ?? null),
  reference_tasks: z
    .array(slugRef)
    .nullish()
    .transform((value) => value ?? []),
  __version__: nullishString,
});

export type SerializedFlow = z.output<typeof serializedFlow>;

/** The first problems of a failed parse, as `path: message`. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`)
    .join('; ');
}

/** Parses `value` with `schema` or throws BAD_USER_INPUT naming what is wrong in `what`. */
export function parseSerialized<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw badUserInput(`Invalid ${what}: ${describeIssues(result.error)}.`);
  return result.data;
}

function versionParts(version: string): number[] {
  return version.split(/[.+-]/, 3).map((part) => Number.parseInt(part, 10) || 0);
}

/** Refuses a flow built with a Prefect Core older than 0.6.1, with Prefect Server's message. */
export function checkCoreVersion(version: string | null): void {
  if (version === null) return;
  const parts = versionParts(version);
  for (const [index, cutoff] of CORE_VERSION_CUTOFF.entries()) {
    const part = parts[index] ?? 0;
    if (part > cutoff) return;
    if (part < cutoff) {
      throw badUserInput(
        `Prefect backends require new flows to be built with Prefect ${CORE_VERSION_CUTOFF.join('.')}+, but this flow was built with Prefect ${version}.`,
      );
    }
  }
}

/** The reference task slugs of a stored serialized flow (none when it has none or they do not parse). */
export function referenceTaskSlugs(serializedFlowJson: unknown): string[] {
  const result = z.object({ reference_tasks: z.array(slugRef) }).safeParse(serializedFlowJson);
  return result.success ? result.data.reference_tasks : [];
}

/** The flow's stored JSON: what the client sent, as a JSON value. */
export function asJson(value: unknown): JsonValue {
  return value as JsonValue;
}
