/**
 * Hasura's tracked SQL functions of Prefect Server: `utility_downstream_tasks` and
 * `utility_upstream_tasks` walk a flow's task graph from the tasks in `args.start_task_ids`
 * along `edge` (down or up) and answer one `utility_traversal` row per task reached, with the
 * longest distance at which it was reached (`depth`, 0 for a start task), up to
 * `args.depth_limit` steps and never more than 50. The UI's restart dialogs call the
 * downstream one to find the task runs a restart resets.
 *
 * As Hasura does for a function, `where`, `order_by`, `distinct_on`, `limit` and `offset`
 * apply to the rows the walk returns (a `where` filters rows, not the walk), and the rows come
 * ordered by depth then task id when no `order_by` is given. The walk is a common table
 * expression named like the row type, so the table compiler's statement reads it in place of
 * the (always empty) `utility_traversal` table; start tasks and edges are the caller's tenant's.
 */
import { sql } from 'kysely';
import type { CompiledStatement } from '../db/database.js';
import { rowBudget } from '../db/row-budget.js';
import { sqlCompiler } from './compile/compiler.js';
import { fieldArguments, listJson } from './compile/select.js';
import { CompileScope } from './compile/scope.js';
import { collectFields, subSelections, type CollectedField } from './compile/selection.js';
import type { RequestContext } from './context.js';
import { badUserInput } from './errors.js';
import { MAX_BOUND_VALUES, metadataOf, runRootField, type CompileContext, type RootFieldInfo } from './execute.js';

/** Prefect Server's functions stop after 50 steps whatever `depth_limit` asks. */
const MAX_DEPTH = 50;

/** Which way each function walks: the edge column it arrives by and the one it leaves by. */
const WALKS = {
  utility_downstream_tasks: { from: 'upstream_task_id', to: 'downstream_task_id' },
  utility_upstream_tasks: { from: 'downstream_task_id', to: 'upstream_task_id' },
} as const;

type FunctionFieldName = keyof typeof WALKS;

/** The function's rows in the function's own order when the query gives none. */
const FUNCTION_ORDER = [{ depth: 'asc' }, { task_id: 'asc' }, { tenant_id: 'asc' }];

export function isFunctionField(name: string): name is FunctionFieldName {
  return Object.hasOwn(WALKS, name);
}

/** `args` as GraphQL coerced it: `start_task_ids` already checked by the `_uuid` scalar. */
interface TraversalArgs {
  readonly start_task_ids?: string | null;
  readonly depth_limit?: number | null;
}

/**
 * The walk as a recursive common table expression `utility_traversal`: start tasks at depth 0,
 * one row per edge followed, then the deepest visit of each task.
 */
function traversal(name: FunctionFieldName, args: TraversalArgs, tenantId: string) {
  const walk = WALKS[name];
  const depthLimit = Math.min(MAX_DEPTH, args.depth_limit ?? MAX_DEPTH);
  return sql`recursive _walk (tenant_id, task_id, depth) as (
    select task.tenant_id, task.id, 0 from task
      where task.id = any(${args.start_task_ids ?? null}::uuid[]) and task.tenant_id = ${tenantId}::uuid
    union
    select edge.tenant_id, ${sql.ref(`edge.${walk.to}`)}, _walk.depth + 1 from _walk
      join edge on ${sql.ref(`edge.${walk.from}`)} = _walk.task_id
      where edge.tenant_id = ${tenantId}::uuid and _walk.depth < ${depthLimit}::integer
  ), utility_traversal as (
    select tenant_id, task_id, max(depth) as depth from _walk group by tenant_id, task_id
  )`;
}

/** Compiles a function root field to one statement whose single row has the field's JSON in `data`. */
export function compileFunctionField(ctx: CompileContext, info: RootFieldInfo): CompiledStatement {
  const name = info.fieldName;
  if (!isFunctionField(name)) throw badUserInput(`${name} is not a function field`);
  const budget = ctx.rowBudget === undefined ? undefined : rowBudget(ctx.rowBudget);
  const scope = new CompileScope(info.schema, metadataOf(info.schema), ctx.tenantId, ctx.maxLimit, info.fragments, info.variableValues, budget);
  const field: CollectedField = { responseKey: name, name, nodes: info.fieldNodes };
  const args = fieldArguments(scope, info.parentType.name, field);
  const rows = scope.table('utility_traversal');
  const rowArgs = args['order_by'] === null || args['order_by'] === undefined ? { ...args, order_by: FUNCTION_ORDER } : args;
  const data = listJson(scope, rows, rowArgs, collectFields(scope, rows.name, subSelections(field)), name);
  const compiled = sql`with ${traversal(name, args['args'] as TraversalArgs, ctx.tenantId)} select ${data} as data`.compile(sqlCompiler);
  if (compiled.parameters.length > MAX_BOUND_VALUES) {
    throw badUserInput(`${name} has ${compiled.parameters.length} values to compare, more than the ${MAX_BOUND_VALUES} a query can take`);
  }
  return { sql: compiled.sql, parameters: compiled.parameters };
}

/** Runs a function root field and returns its JSON rows. */
export async function executeFunctionField(ctx: RequestContext, info: RootFieldInfo): Promise<unknown> {
  return runRootField(ctx, compileFunctionField(ctx, info));
}
