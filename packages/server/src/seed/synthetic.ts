import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { jsonb, type Tables } from '../db/tables.js';
import { DEFAULT_TENANT_ID } from '../db/tenant.js';
import { serializeState, type StateType } from '../states/index.js';
import { later } from './demo-data.js';
import { insertGeneratedLogs } from './generated-logs.js';

/** Flow runs per INSERT ... SELECT. */
const RUNS_PER_STATEMENT = 10_000;

export interface SyntheticOptions {
  /** Flow runs to create (default 1). */
  readonly flowRuns?: number;
  /** Unmapped task runs per flow run, one per task of the flow (default 3). */
  readonly taskRunsPerRun?: number;
  /** Children of one mapped task per flow run (default 0: no mapped task). */
  readonly mappedChildren?: number;
  /** Log lines per flow run (default 100). */
  readonly logsPerRun?: number;
  /**
   * Consecutive log lines that share one timestamp (default 1). Thousands of lines on one
   * microsecond test paging that must neither lose nor repeat a line.
   */
  readonly sameTimestampLogs?: number;
  /** Microseconds between log timestamps (default 1,000). */
  readonly logStepMicroseconds?: number;
  /** The owner of every row (default: the default tenant). */
  readonly tenantId?: string;
  /** When the first run was scheduled (default 2022-01-03T00:00:00+00:00); runs follow a minute apart. */
  readonly start?: string;
}

/** What {@link generateSynthetic} created. */
export interface SyntheticDataSet {
  readonly tenantId: string;
  readonly projectId: string;
  readonly flowId: string;
  /** The unmapped tasks, in slug order (`task-1`, `task-2`, …). */
  readonly taskIds: readonly string[];
  /** The mapped task, when `mappedChildren` > 0. */
  readonly mappedTaskId: string | undefined;
  /** The flow runs, in the order they were scheduled. */
  readonly flowRunIds: readonly string[];
  readonly taskRunCount: number;
  readonly logCount: number;
}

function count(value: number | undefined, fallback: number, what: string): number {
  const result = value ?? fallback;
  if (!Number.isInteger(result) || result < 0) throw new RangeError(`${what} must be a non-negative integer, got ${String(value)}`);
  return result;
}

/** Offsets of the history states from a run's scheduled time, in seconds. */
const FLOW_RUN_HISTORY: readonly [StateType, string, number][] = [
  ['Scheduled', 'Flow run scheduled.', 0],
  ['Submitted', 'Submitted for execution', 1],
  ['Running', 'Running flow.', 2],
  ['Success', 'All reference tasks succeeded.', 50],
];

const TASK_RUN_HISTORY: readonly [StateType, string, number][] = [
  ['Pending', 'Task run created', 0],
  ['Running', 'Starting task run.', 3],
  ['Success', 'Task run succeeded.', 40],
];

function at(offsetSeconds: number) {
  return sql<Date>`fr.scheduled_start_time + cast(${offsetSeconds} as integer) * interval '1 second'`;
}

async function insertFlow(db: Kysely<Tables>, tenantId: string, tasks: number, mapped: boolean) {
  const suffix = randomUUID().slice(0, 8);
  const project = await db
    .insertInto('project')
    .values({ tenant_id: tenantId, name: `synthetic-${suffix}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const group = await db
    .insertInto('flow_group')
    .values({ tenant_id: tenantId, name: `synthetic-${suffix}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const flow = await db
    .insertInto('flow')
    .values({ tenant_id: tenantId, name: `synthetic-${suffix}`, version: 1, project_id: project.id, flow_group_id: group.id, parameters: jsonb([]) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const specs = Array.from({ length: tasks }, (_, index) => ({ name: `task_${String(index + 1)}`, slug: `task-${String(index + 1)}`, mapped: false }));
  if (mapped) specs.push({ name: 'mapped_task', slug: 'mapped-1', mapped: true });
  const rows =
    specs.length === 0
      ? []
      : await db
          .insertInto('task')
          .values(specs.map((spec) => ({ tenant_id: tenantId, flow_id: flow.id, name: spec.name, slug: spec.slug, mapped: spec.mapped })))
          .returning(['id', 'slug'])
          .execute();
  const bySlug = new Map(rows.map((row) => [row.slug, row.id]));
  return {
    projectId: project.id,
    flowId: flow.id,
    taskIds: specs.filter((spec) => !spec.mapped).map((spec) => bySlug.get(spec.slug) ?? ''),
    mappedTaskId: mapped ? bySlug.get('mapped-1') : undefined,
  };
}

/** Flow runs `from`..`to` (1-based), Success, scheduled a minute apart. */
async function insertFlowRuns(db: Kysely<Tables>, flowId: string, tenantId: string, start: string, from: number, to: number): Promise<string[]> {
  const [, , , final] = FLOW_RUN_HISTORY;
  const serialized = jsonb(serializeState('Success', { message: final?.[1] ?? null }));
  const rows = await sql<{ id: string }>`
    insert into flow_run (tenant_id, flow_id, name, scheduled_start_time, created, updated, start_time, end_time,
                          state_timestamp, version, state, state_message, serialized_state)
    select cast(${tenantId} as uuid), cast(${flowId} as uuid), 'synthetic-' || g.i, s.t, s.t, s.t + interval '50 seconds',
           s.t + interval '2 seconds', s.t + interval '50 seconds', s.t + interval '50 seconds',
           ${FLOW_RUN_HISTORY.length}, 'Success', ${final?.[1] ?? null}, cast(${serialized} as jsonb)
    from generate_series(cast(${from} as integer), cast(${to} as integer)) as g(i)
    cross join lateral (select cast(${start} as timestamptz) + (g.i - 1) * interval '1 minute' as t) as s
    order by g.i
    returning id
  `.execute(db);
  return rows.rows.map((row) => row.id);
}

async function insertFlowRunHistory(db: Kysely<Tables>, flowId: string): Promise<void> {
  for (const [index, [type, message, offset]] of FLOW_RUN_HISTORY.entries()) {
    const serialized = jsonb(serializeState(type, { message }));
    await db
      .insertInto('flow_run_state')
      .columns(['tenant_id', 'flow_run_id', 'timestamp', 'state', 'message', 'serialized_state', 'version'])
      .expression((eb) =>
        eb
          .selectFrom('flow_run as fr')
          .select([
            'fr.tenant_id',
            'fr.id',
            at(offset).as('timestamp'),
            sql<string>`${type}`.as('state'),
            sql<string>`${message}`.as('message'),
            sql<string>`cast(${serialized} as jsonb)`.as('serialized_state'),
            sql<number>`cast(${index + 1} as integer)`.as('version'),
          ])
          .where('fr.flow_id', '=', flowId),
      )
      .execute();
  }
}

/** Every task of the flow for every run (map_index -1), plus `children` mapped children per run. */
async function insertTaskRuns(db: Kysely<Tables>, flowId: string, mappedTaskId: string | undefined, children: number): Promise<void> {
  const success = jsonb(serializeState('Success', { message: 'Task run succeeded.' }));
  const mapped = jsonb(serializeState('Mapped', { message: 'Ready to proceed with mapping.', extra: { n_map_states: children } }));
  await sql`
    insert into task_run (tenant_id, flow_run_id, task_id, map_index, version, state, state_message, serialized_state,
                          start_time, end_time, state_timestamp, created, updated)
    select fr.tenant_id, fr.id, t.id, -1, 3,
           case when t.mapped then 'Mapped' else 'Success' end,
           case when t.mapped then 'Ready to proceed with mapping.' else 'Task run succeeded.' end,
           case when t.mapped then cast(${mapped} as jsonb) else cast(${success} as jsonb) end,
           ${at(3)}, ${at(40)}, ${at(40)}, fr.scheduled_start_time, ${at(40)}
    from flow_run as fr
    join task as t on t.flow_id = fr.flow_id
    where fr.flow_id = cast(${flowId} as uuid)
  `.execute(db);
  if (mappedTaskId === undefined || children === 0) return;
  await sql`
    insert into task_run (tenant_id, flow_run_id, task_id, map_index, version, state, state_message, serialized_state,
                          start_time, end_time, state_timestamp, created, updated)
    select fr.tenant_id, fr.id, cast(${mappedTaskId} as uuid), g.i, 3, 'Success', 'Task run succeeded.', cast(${success} as jsonb),
           ${at(3)}, ${at(40)}, ${at(40)}, fr.scheduled_start_time, ${at(40)}
    from flow_run as fr
    cross join generate_series(0, cast(${children - 1} as integer)) as g(i)
    where fr.flow_id = cast(${flowId} as uuid)
  `.execute(db);
}

/** Pending and Running history rows, then a copy of each task run's final state. */
async function insertTaskRunHistory(db: Kysely<Tables>, flowId: string): Promise<void> {
  for (const [index, [type, message, offset]] of TASK_RUN_HISTORY.entries()) {
    const final = index === TASK_RUN_HISTORY.length - 1;
    const serialized = jsonb(serializeState(type, { message }));
    await sql`
      insert into task_run_state (tenant_id, task_run_id, timestamp, state, message, serialized_state, version)
      select tr.tenant_id, tr.id, ${at(offset)},
             ${final ? sql`tr.state` : sql`${type}`},
             ${final ? sql`tr.state_message` : sql`${message}`},
             ${final ? sql`tr.serialized_state` : sql`cast(${serialized} as jsonb)`},
             cast(${index + 1} as integer)
      from task_run as tr
      join flow_run as fr on fr.id = tr.flow_run_id
      where fr.flow_id = cast(${flowId} as uuid)
    `.execute(db);
  }
}

/**
 * Generates a synthetic data set for tests and benchmarks: a new flow (with its own
 * project) and `flowRuns` finished runs of it, each with full state histories, task runs,
 * optional mapped children and `logsPerRun` log lines. Everything is written with
 * set-based INSERT ... SELECT statements (generate_series, bound parameters), so millions
 * of log lines are practical.
 */
export async function generateSynthetic(db: Database, options: SyntheticOptions = {}): Promise<SyntheticDataSet> {
  const tenantId = options.tenantId ?? DEFAULT_TENANT_ID;
  const flowRuns = count(options.flowRuns, 1, 'flowRuns');
  const tasks = count(options.taskRunsPerRun, 3, 'taskRunsPerRun');
  const children = count(options.mappedChildren, 0, 'mappedChildren');
  const logsPerRun = count(options.logsPerRun, 100, 'logsPerRun');
  const start = options.start ?? '2022-01-03T00:00:00+00:00';
  const flow = await db.transaction((tx) => insertFlow(tx, tenantId, tasks, children > 0));
  const flowRunIds: string[] = [];
  await db.transaction(async (tx) => {
    for (let from = 1; from <= flowRuns; from += RUNS_PER_STATEMENT) {
      flowRunIds.push(...(await insertFlowRuns(tx, flow.flowId, tenantId, start, from, Math.min(flowRuns, from + RUNS_PER_STATEMENT - 1))));
    }
    await insertFlowRunHistory(tx, flow.flowId);
    await insertTaskRuns(tx, flow.flowId, flow.mappedTaskId, children);
    await insertTaskRunHistory(tx, flow.flowId);
  });
  // Logs go in outside one big transaction: a million lines need not be held back at once.
  const logCount = await insertGeneratedLogs(db.kysely, {
    tenantId,
    flowRunIds,
    count: logsPerRun,
    start: later(start, 5),
    stepMicroseconds: count(options.logStepMicroseconds, 1000, 'logStepMicroseconds'),
    linesPerTimestamp: count(options.sameTimestampLogs, 1, 'sameTimestampLogs') || 1,
  });
  return {
    tenantId,
    ...flow,
    flowRunIds,
    taskRunCount: flowRuns * (tasks + (children > 0 ? 1 + children : 0)),
    logCount,
  };
}
