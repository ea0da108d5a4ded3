/**
 * The Prefect layer's run-time queries: `get_task_run_info` (the task runner's state check),
 * `mapped_children` (the UI's mapped-run summary) and `reference_data` (the state classes).
 * Each reads only the caller's tenant.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { RequestContext } from '../graphql/context.js';
import { badUserInput } from '../graphql/errors.js';
import { notFound } from '../mutations/errors.js';
import { uuid } from '../mutations/input.js';
import { REFERENCE_DATA } from '../states/reference-data.js';

/** One Query field: receives its arguments (already coerced by GraphQL) and the context. */
export type QueryResolver = (args: Record<string, unknown>, ctx: RequestContext) => Promise<unknown>;

const taskRunIdArgs = z.object({ task_run_id: uuid });

function taskRunIdOf(args: Record<string, unknown>): string {
  const parsed = taskRunIdArgs.safeParse(args);
  if (!parsed.success) throw badUserInput(`Invalid task run ID: ${JSON.stringify(args['task_run_id'])}`);
  return parsed.data.task_run_id;
}

/** `get_task_run_info(task_run_id)`: `{id, version, serialized_state, state}`, or "Invalid task run ID". */
const getTaskRunInfo: QueryResolver = async (args, ctx) => {
  const taskRunId = taskRunIdOf(args);
  const run = await ctx.db.kysely
    .selectFrom('task_run')
    .select(['id', 'version', 'serialized_state', 'state'])
    .where('id', '=', taskRunId)
    .where('tenant_id', '=', ctx.tenantId)
    .executeTakeFirst();
  if (!run) throw notFound('Invalid task run ID');
  return run;
};

/**
 * `mapped_children(task_run_id)`: for a mapped parent (map index -1), its children's earliest
 * start, latest end and count per state, as Prefect Server computes them; all empty for a
 * task run that is not a parent or does not exist.
 */
const mappedChildren: QueryResolver = async (args, ctx) => {
  const taskRunId = taskRunIdOf(args);
  // Times as the database writes them in JSON (`2021-05-12T17:59:56.383629+00:00`), which is
  // the form Prefect's DateTime has on the wire.
  const rows = await ctx.db.kysely
    .selectFrom('task_run as child')
    .innerJoin('task_run as parent', (join) => join.onRef('child.flow_run_id', '=', 'parent.flow_run_id').onRef('child.task_id', '=', 'parent.task_id'))
    .select([
      'child.state as state',
      sql<string>`count(*)`.as('count'),
      sql<string | null>`to_json(min(min(${sql.ref('child.start_time')})) over ()) #>> '{}'`.as('min_start_time'),
      sql<string | null>`to_json(max(max(${sql.ref('child.end_time')})) over ()) #>> '{}'`.as('max_end_time'),
    ])
    .where('parent.id', '=', taskRunId)
    .where('parent.tenant_id', '=', ctx.tenantId)
    .where('parent.map_index', '<', 0)
    .where('child.tenant_id', '=', ctx.tenantId)
    .where('child.map_index', '>=', 0)
    .groupBy('child.state')
    .orderBy('child.state')
    .execute();
  const [first] = rows;
  return {
    min_start_time: first?.min_start_time ?? null,
    max_end_time: first?.max_end_time ?? null,
    state_counts: Object.fromEntries(rows.map((row) => [String(row.state), Number(row.count)])),
  };
};

export const runtimeQueryResolvers: Readonly<Record<string, QueryResolver>> = {
  get_task_run_info: getTaskRunInfo,
  mapped_children: mappedChildren,
  reference_data: () => Promise.resolve(REFERENCE_DATA),
};
