import { LOG_LEVEL_NAMES } from '@runview/prefect';
import { z } from 'zod';
import { jsonb, type JsonValue, type NewRow } from '../db/tables.js';
import { badUserInput } from '../graphql/errors.js';
import type { MutationResolver } from '../graphql/context.js';
import { formatTimestamp } from '../states/index.js';
import { notFound } from './errors.js';
import { parseInput, timestamp, uuid } from './input.js';
import { storableJson, storableText } from './storable.js';
import { successPayload } from './payloads.js';

/** Python's logging level names, as Prefect stores them in `log.level`. */
export { LOG_LEVEL_NAMES as LOG_LEVELS } from '@runview/prefect';

// 8 bound values per row: 5,000 rows stay well under PostgreSQL's 65,535 parameters.
const ROWS_PER_INSERT = 5000;

/** Ids per lookup of the runs a batch names: one bound value each, under the same limit. */
const IDS_PER_LOOKUP = 10_000;

/** Past this many runs in one batch, one change event for the tenant replaces one per run. */
const EVENTS_PER_RUN_MAX = 100;

const writeRunLogsInput = z.object({
  logs: z.array(
    z.object({
      flow_run_id: uuid,
      task_run_id: uuid.nullish(),
      timestamp: timestamp.nullish(),
      message: storableText.nullish(),
      name: storableText.nullish(),
      level: z.enum(LOG_LEVEL_NAMES).nullish(),
      info: storableJson.optional(),
    }),
  ),
});

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/**
 * `write_run_logs`: stores log records in one transaction with multi-row inserts. A record
 * without a level is INFO; one without a timestamp gets the server's time, one microsecond
 * apart in the order sent, so lines of a batch keep their order. Every flow run (and task
 * run) named must exist in the caller's tenant, or nothing is written. Text and `info` that
 * PostgreSQL cannot store (a NUL character, JSON nested too deep) are refused as bad input.
 */
export const writeRunLogs: MutationResolver = async (args, ctx) => {
  const { logs } = parseInput('write_run_logs', writeRunLogsInput, args);
  if (logs.length === 0) return successPayload(true);
  const { tenantId } = ctx;
  const now = ctx.now();
  const flowRunIds = [...new Set(logs.map((log) => log.flow_run_id))];
  const taskRunIds = [...new Set(logs.flatMap((log) => (log.task_run_id ? [log.task_run_id] : [])))];
  const rows = logs.map((log, index): NewRow<'log'> => ({
    tenant_id: tenantId,
    flow_run_id: log.flow_run_id,
    task_run_id: log.task_run_id ?? null,
    timestamp: log.timestamp ?? formatTimestamp(now, index),
    name: log.name ?? null,
    level: log.level ?? 'INFO',
    message: log.message ?? null,
    info: log.info === undefined || log.info === null ? null : jsonb(log.info as JsonValue),
  }));
  await ctx.db.transaction(async (tx) => {
    // A batch may name more runs than one statement can bind (Prefect's are per run, ours need not be).
    const known = new Set<string>();
    for (const ids of chunks(flowRunIds, IDS_PER_LOOKUP)) {
      const runs = await tx.selectFrom('flow_run').select('id').where('id', 'in', ids).where('tenant_id', '=', tenantId).execute();
      for (const run of runs) known.add(run.id);
    }
    const unknownRun = flowRunIds.find((id) => !known.has(id));
    if (unknownRun !== undefined) throw notFound(`Flow run ${unknownRun} not found.`);
    if (taskRunIds.length > 0) {
      const owner = new Map<string, string>();
      for (const ids of chunks(taskRunIds, IDS_PER_LOOKUP)) {
        const taskRuns = await tx.selectFrom('task_run').select(['id', 'flow_run_id']).where('id', 'in', ids).where('tenant_id', '=', tenantId).execute();
        for (const run of taskRuns) owner.set(run.id, run.flow_run_id);
      }
      for (const log of logs) {
        if (!log.task_run_id) continue;
        const flowRunId = owner.get(log.task_run_id);
        if (flowRunId === undefined) throw notFound(`Task run ${log.task_run_id} not found.`);
        if (flowRunId !== log.flow_run_id) {
          throw badUserInput(`Task run ${log.task_run_id} does not belong to flow run ${log.flow_run_id}.`);
        }
      }
    }
    for (const batch of chunks(rows, ROWS_PER_INSERT)) await tx.insertInto('log').values(batch).execute();
  });
  if (flowRunIds.length > EVENTS_PER_RUN_MAX) ctx.events.emit({ table: 'log', tenantId, operation: 'insert' });
  else for (const flowRunId of flowRunIds) ctx.events.emit({ table: 'log', tenantId, operation: 'insert', flowRunId });
  return successPayload(true);
};
