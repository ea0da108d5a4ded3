/**
 * A registered flow's task graph: its `task` and `edge` rows, written from Prefect Core's
 * serialized tasks and edges as Prefect Server does (tasks upserted on `(flow_id, slug)`
 * keeping the first, edges on their task pair; new tasks appended to the flow's
 * `serialized_flow.tasks`). Run inside the caller's transaction.
 */
import { sql, type Kysely } from 'kysely';
import { jsonb, type JsonValue, type Tables } from '../db/tables.js';
import { badUserInput } from '../graphql/errors.js';
import type { SerializedEdge, SerializedTask } from './serialized-flow.js';
import { isJsonObject } from './json.js';

/** Prefect Server's message when an edge names a slug the flow has no task for. */
export const UNKNOWN_EDGE_TASK = 'Edges could not be registered - some edges reference tasks that do not exist within this flow.';

/** Rows per insert statement: far below PostgreSQL's 65535 bound values. */
const BATCH = 500;

function batches<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += BATCH) out.push(items.slice(start, start + BATCH));
  return out;
}

export interface FlowRef {
  readonly id: string;
  readonly tenantId: string;
}

/** Inserts the tasks whose slugs the flow does not have yet; returns the new rows' ids. */
export async function insertTasks(tx: Kysely<Tables>, flow: FlowRef, tasks: readonly SerializedTask[]): Promise<string[]> {
  const ids: string[] = [];
  for (const batch of batches(tasks)) {
    const rows = await tx
      .insertInto('task')
      .values(
        batch.map((task) => ({
          tenant_id: flow.tenantId,
          flow_id: flow.id,
          name: task.name,
          slug: task.slug,
          type: task.type,
          max_retries: task.max_retries,
          tags: jsonb(task.tags),
          retry_delay: task.retry_delay,
          trigger: task.trigger,
          auto_generated: task.auto_generated,
          cache_key: task.cache_key,
        })),
      )
      .onConflict((oc) => oc.columns(['flow_id', 'slug']).doNothing())
      .returning('id')
      .execute();
    ids.push(...rows.map((row) => row.id));
  }
  return ids;
}

/** Appends the serialized tasks whose slugs are new to `flow.serialized_flow.tasks`, as Prefect Server keeps them. */
export async function appendSerializedTasks(tx: Kysely<Tables>, flow: FlowRef, tasks: readonly unknown[]): Promise<void> {
  const row = await tx.selectFrom('flow').select('serialized_flow').where('id', '=', flow.id).executeTakeFirst();
  const serialized = isJsonObject(row?.serialized_flow) ? row.serialized_flow : {};
  const current = Array.isArray(serialized['tasks']) ? serialized['tasks'] : [];
  const known = new Set(current.map((task) => (isJsonObject(task) ? task['slug'] : undefined)));
  const added: JsonValue[] = [];
  for (const task of tasks) {
    if (!isJsonObject(task) || known.has(task['slug'])) continue;
    known.add(task['slug']);
    added.push(task);
  }
  if (added.length === 0) return;
  await tx
    .updateTable('flow')
    .set({ serialized_flow: jsonb({ ...serialized, tasks: [...current, ...added] }) })
    .where('id', '=', flow.id)
    .execute();
}

/** Inserts edges between the flow's tasks (by slug); an unknown slug refuses them all. */
export async function insertEdges(tx: Kysely<Tables>, flow: FlowRef, edges: readonly SerializedEdge[]): Promise<string[]> {
  if (edges.length === 0) return [];
  const tasks = await tx.selectFrom('task').select(['id', 'slug']).where('flow_id', '=', flow.id).execute();
  const bySlug = new Map(tasks.map((task) => [task.slug, task.id]));
  const rows = edges.map((edge) => {
    const upstream = bySlug.get(edge.upstream_task);
    const downstream = bySlug.get(edge.downstream_task);
    if (upstream === undefined || downstream === undefined) throw badUserInput(UNKNOWN_EDGE_TASK);
    return { tenant_id: flow.tenantId, flow_id: flow.id, upstream_task_id: upstream, downstream_task_id: downstream, key: edge.key, mapped: edge.mapped };
  });
  const ids: string[] = [];
  for (const batch of batches(rows)) {
    const inserted = await tx
      .insertInto('edge')
      .values(batch)
      .onConflict((oc) => oc.columns(['flow_id', 'downstream_task_id', 'upstream_task_id']).doNothing())
      .returning('id')
      .execute();
    ids.push(...inserted.map((row) => row.id));
  }
  return ids;
}

/**
 * Derives each task's place in the graph from the edges: root (no upstream edge), terminal (no
 * downstream edge), mapped (a mapped upstream edge) and reference (listed in the flow's
 * `reference_tasks`, else the terminal tasks), as Prefect Server's flow schema defines them.
 */
export async function refreshTaskFlags(tx: Kysely<Tables>, flowId: string, referenceSlugs: readonly string[]): Promise<void> {
  const upstreamOf = (alias: string) => sql`exists (select 1 from edge where edge.downstream_task_id = ${sql.ref(alias)})`;
  const downstreamOf = (alias: string) => sql`exists (select 1 from edge where edge.upstream_task_id = ${sql.ref(alias)})`;
  await tx
    .updateTable('task')
    .set({
      is_root_task: sql<boolean>`not ${upstreamOf('task.id')}`,
      is_terminal_task: sql<boolean>`not ${downstreamOf('task.id')}`,
      mapped: sql<boolean>`exists (select 1 from edge where edge.downstream_task_id = task.id and edge.mapped)`,
      is_reference_task:
        referenceSlugs.length > 0
          ? sql<boolean>`coalesce(cast(${jsonb([...referenceSlugs])} as jsonb) ? task.slug, false)`
          : sql<boolean>`not ${downstreamOf('task.id')}`,
    })
    .where('flow_id', '=', flowId)
    .execute();
}
