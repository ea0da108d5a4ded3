import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { jsonb, type JsonValue, type Row, type Tables } from '../db/tables.js';
import { badUserInput } from '../graphql/errors.js';
import type { MutationResolver, RequestContext } from '../graphql/context.js';
import { formatTimestamp, parseState, serializeState } from '../states/index.js';
import { notFound } from './errors.js';
import { jsonObject, parseInput, timestamp, uuid } from './input.js';
import { generateRunName } from './names.js';
import { writeRunState, writeRunStates } from './state-writer.js';

const createFlowRunInput = z.object({
  flow_id: uuid.nullish(),
  version_group_id: z.string().nullish(),
  parameters: jsonObject.nullish(),
  context: jsonObject.nullish(),
  run_config: jsonObject.nullish(),
  labels: z.array(z.string()).nullish(),
  scheduled_start_time: timestamp.nullish(),
  idempotency_key: z.string().nullish(),
  flow_run_name: z.string().nullish(),
});

type CreateFlowRunInput = z.output<typeof createFlowRunInput>;

/** The message of a new run's first state, as Prefect Server writes it. */
const SCHEDULED_MESSAGE = 'Flow run scheduled.';
/** The message of a new task run's first state, as Prefect Server writes it. */
export const TASK_RUN_CREATED_MESSAGE = 'Task run created';

async function findFlow(db: Kysely<Tables>, input: CreateFlowRunInput, tenantId: string): Promise<Row<'flow'>> {
  if (input.flow_id) {
    const flow = await db.selectFrom('flow').selectAll().where('id', '=', input.flow_id).where('tenant_id', '=', tenantId).executeTakeFirst();
    if (!flow) throw notFound(`Flow ${input.flow_id} not found.`);
    if (flow.archived) throw badUserInput(`Flow ${flow.id} is archived.`);
    return flow;
  }
  if (input.version_group_id) {
    const flow = await db
      .selectFrom('flow')
      .selectAll()
      .where('version_group_id', '=', input.version_group_id)
      .where('archived', '=', false)
      .where('tenant_id', '=', tenantId)
      .orderBy('version', (ob) => ob.desc().nullsLast())
      .orderBy('created', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!flow) throw notFound(`No unarchived flow found in version group ${input.version_group_id}.`);
    return flow;
  }
  throw badUserInput('One of flow_id or version_group_id must be provided.');
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The names of the flow's parameters marked `required` (from its registered parameter specs). */
function requiredParameters(flow: Row<'flow'>): string[] {
  const specs = Array.isArray(flow.parameters) ? flow.parameters : [];
  return specs.flatMap((spec) => (isObject(spec) && spec['required'] === true && typeof spec['name'] === 'string' ? [spec['name']] : []));
}

function labelsOf(runConfig: JsonValue | null): string[] | undefined {
  const labels = isObject(runConfig) ? runConfig['labels'] : undefined;
  return Array.isArray(labels) ? labels.filter((label): label is string => typeof label === 'string') : undefined;
}

/** The run of a flow that holds an idempotency key (unique per flow, as in Prefect Server). */
async function runWithKey(db: Kysely<Tables>, flowId: string, idempotencyKey: string): Promise<string | undefined> {
  const run = await db.selectFrom('flow_run').select('id').where('flow_id', '=', flowId).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
  return run?.id;
}

/**
 * `create_flow_run`: schedules a run of a flow (by id, or the newest unarchived version of a
 * version group) with its flow group's default parameters, labels and run config unless
 * given, a Scheduled first state, and a Pending task run for every task of the flow.
 */
export const createFlowRun: MutationResolver = async (args, ctx: RequestContext) => {
  const input = parseInput('create_flow_run', createFlowRunInput, args);
  const { tenantId } = ctx;
  const now = ctx.now();
  const created = await ctx.db.transaction(async (tx) => {
    const flow = await findFlow(tx, input, tenantId);
    const idempotencyKey = input.idempotency_key ?? null;
    if (idempotencyKey !== null) {
      const existing = await runWithKey(tx, flow.id, idempotencyKey);
      if (existing) return { id: existing, taskRunIds: [] as string[], isNew: false };
    }
    const group = await tx
      .selectFrom('flow_group')
      .select(['default_parameters', 'labels', 'run_config'])
      .where('id', '=', flow.flow_group_id)
      .executeTakeFirst();
    const parameters = { ...(isObject(group?.default_parameters) ? group.default_parameters : {}), ...input.parameters };
    const missing = requiredParameters(flow).filter((name) => !(name in parameters));
    if (missing.length > 0) throw badUserInput(`Required parameters were not supplied: ${missing.sort().join(', ')}`);
    const runConfig = input.run_config ?? group?.run_config ?? flow.run_config;
    const labels = input.labels ?? labelsOf(group?.labels ?? null) ?? labelsOf(runConfig as JsonValue | null) ?? [];
    const scheduledStart = input.scheduled_start_time ?? formatTimestamp(now);
    const run = await tx
      .insertInto('flow_run')
      .values({
        tenant_id: tenantId,
        flow_id: flow.id,
        name: input.flow_run_name ?? generateRunName(),
        parameters: jsonb(parameters as JsonValue),
        context: jsonb((input.context ?? {}) as JsonValue),
        labels: jsonb(labels),
        run_config: runConfig === null ? null : jsonb(runConfig as JsonValue),
        scheduled_start_time: scheduledStart,
        idempotency_key: idempotencyKey,
      })
      // A concurrent call with the same key may have inserted first: the unique index on
      // (flow_id, idempotency_key) makes this insert wait for it and then do nothing.
      .onConflict((oc) => oc.columns(['flow_id', 'idempotency_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!run) {
      const winner = idempotencyKey === null ? undefined : await runWithKey(tx, flow.id, idempotencyKey);
      if (winner === undefined) throw new TypeError('create_flow_run: the insert conflicted but no run holds the idempotency key');
      return { id: winner, taskRunIds: [] as string[], isNew: false };
    }
    const scheduled = parseState(serializeState('Scheduled', { message: SCHEDULED_MESSAGE, startTime: scheduledStart }));
    await writeRunState(tx, 'flow_run', { id: run.id, tenantId }, scheduled, now);
    const taskRuns = await tx
      .insertInto('task_run')
      .columns(['tenant_id', 'flow_run_id', 'task_id', 'cache_key'])
      .expression((db) =>
        db
          .selectFrom('task')
          .select([sql<string>`cast(${tenantId} as uuid)`.as('tenant_id'), sql<string>`cast(${run.id} as uuid)`.as('flow_run_id'), 'id', 'cache_key'])
          .where('flow_id', '=', flow.id),
      )
      .returning('id')
      .execute();
    if (taskRuns.length > 0) {
      const pending = parseState(serializeState('Pending', { message: TASK_RUN_CREATED_MESSAGE }));
      await writeRunStates(tx, 'task_run', tenantId, { flowRunId: run.id }, pending, now);
    }
    return { id: run.id, taskRunIds: taskRuns.map((row) => row.id), isNew: true };
  });
  if (created.isNew) {
    const scope = { tenantId, operation: 'insert', flowRunId: created.id } as const;
    ctx.events.emit({ table: 'flow_run', ids: [created.id], ...scope });
    ctx.events.emit({ table: 'flow_run_state', ...scope });
    if (created.taskRunIds.length > 0) {
      ctx.events.emit({ table: 'task_run', ids: created.taskRunIds, ...scope });
      ctx.events.emit({ table: 'task_run_state', ...scope });
    }
  }
  return { id: created.id };
};
