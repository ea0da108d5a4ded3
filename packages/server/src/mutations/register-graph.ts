/**
 * `register_tasks` and `register_edges`: how `flow.register()` adds a flow's tasks and edges
 * after `create_flow_from_compressed_string` created it without them, in batches of 500.
 * Tasks already registered (by slug) and edges already there are kept as they are.
 */
import { z } from 'zod';
import type { MutationResolver, RequestContext } from '../graphql/context.js';
import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';
import { withConstraintErrors } from './database-errors.js';
import { notFound } from './errors.js';
import { appendSerializedTasks, insertEdges, insertTasks, refreshTaskFlags, type FlowRef } from './flow-graph.js';
import { parseInput, uuid } from './input.js';
import { parseSerialized, referenceTaskSlugs, serializedEdge, serializedTask } from './serialized-flow.js';
import { successPayload } from './payloads.js';

const registerTasksInput = z.object({ flow_id: uuid, serialized_tasks: z.unknown() });
const registerEdgesInput = z.object({ flow_id: uuid, serialized_edges: z.unknown() });

/** Locks the flow of the tenant (concurrent batches append to the same serialized flow in turn). */
async function lockFlow(tx: Kysely<Tables>, ctx: RequestContext, flowId: string): Promise<FlowRef & { referenceSlugs: string[] }> {
  const flow = await tx
    .selectFrom('flow')
    .select(['id', 'serialized_flow'])
    .where('id', '=', flowId)
    .where('tenant_id', '=', ctx.tenantId)
    .forUpdate()
    .executeTakeFirst();
  if (!flow) throw notFound('Invalid flow ID.');
  return { id: flow.id, tenantId: ctx.tenantId, referenceSlugs: referenceTaskSlugs(flow.serialized_flow) };
}

export const registerTasks: MutationResolver = async (args, ctx) => {
  const input = parseInput('register_tasks', registerTasksInput, args);
  const tasks = parseSerialized(z.array(serializedTask), input.serialized_tasks, 'serialized tasks');
  const taskIds = await withConstraintErrors(() =>
    ctx.db.transaction(async (tx) => {
      const flow = await lockFlow(tx, ctx, input.flow_id);
      const ids = await insertTasks(tx, flow, tasks);
      await appendSerializedTasks(tx, flow, input.serialized_tasks as unknown[]);
      await refreshTaskFlags(tx, flow.id, flow.referenceSlugs);
      return ids;
    }),
  );
  if (taskIds.length > 0) ctx.events.emit({ table: 'task', tenantId: ctx.tenantId, operation: 'insert', ids: taskIds });
  return successPayload(true);
};

export const registerEdges: MutationResolver = async (args, ctx) => {
  const input = parseInput('register_edges', registerEdgesInput, args);
  const edges = parseSerialized(z.array(serializedEdge), input.serialized_edges, 'serialized edges');
  const edgeIds = await withConstraintErrors(() =>
    ctx.db.transaction(async (tx) => {
      const flow = await lockFlow(tx, ctx, input.flow_id);
      const ids = await insertEdges(tx, flow, edges);
      await refreshTaskFlags(tx, flow.id, flow.referenceSlugs);
      return ids;
    }),
  );
  if (edgeIds.length > 0) {
    ctx.events.emit({ table: 'edge', tenantId: ctx.tenantId, operation: 'insert', ids: edgeIds });
    ctx.events.emit({ table: 'task', tenantId: ctx.tenantId, operation: 'update' });
  }
  return successPayload(true);
};
