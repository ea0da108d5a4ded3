import { sql } from 'kysely';
import type { RequestContext } from '../graphql/context.js';
import type { RunTable } from './state-writer.js';

/** Columns the run-time mutations set on a run besides its state (`labels`: flow runs only). */
export interface RunUpdate {
  readonly name?: string;
  readonly heartbeat?: Date;
  readonly labels?: string;
}

/**
 * Updates one run of the caller's tenant by id (and its `updated`), and announces the change
 * after it. False when the tenant has no such run: nothing is written then.
 */
export async function updateRun(ctx: RequestContext, table: RunTable, id: string, set: RunUpdate): Promise<boolean> {
  // Both run tables have these columns (typed as the flow-run table, as the state writer does).
  const runTable = table as 'flow_run';
  const row = await ctx.db.kysely
    .updateTable(runTable)
    .set({ ...set, updated: ctx.now() })
    .where('id', '=', id)
    .where('tenant_id', '=', ctx.tenantId)
    .returning(['id', sql<string>`${sql.ref(table === 'flow_run' ? 'id' : 'flow_run_id')}`.as('flow_run_id')])
    .executeTakeFirst();
  if (row === undefined) return false;
  const taskRun = table === 'task_run' ? { taskRunId: row.id } : {};
  ctx.events.emit({ table, tenantId: ctx.tenantId, operation: 'update', flowRunId: row.flow_run_id, ids: [row.id], ...taskRun });
  return true;
}
