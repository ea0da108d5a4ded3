import { sql, type Kysely, type RawBuilder } from 'kysely';
import { jsonb, type JsonValue, type Tables } from '../db/tables.js';
import { FINISHED_STATE_TYPES, isRunningState, type ParsedState, type StateType } from '../states/index.js';

/** The two kinds of run that carry a state and a state history. */
export type RunTable = 'flow_run' | 'task_run';

const HISTORY = { flow_run: 'flow_run_state', task_run: 'task_run_state' } as const;
const RUN_ID = { flow_run: 'flow_run_id', task_run: 'task_run_id' } as const;

/** One state written: the run, its new version and the id of the history row. */
export interface WrittenState {
  readonly runId: string;
  readonly version: number;
  readonly stateId: string;
}

/**
 * The timestamp of a run's next state: the server's clock, but always after the run's
 * previous state, so a history ordered by (timestamp, id) keeps the order states were set
 * in even when several land within the same millisecond.
 */
function nextStateTimestamp(now: Date): RawBuilder<Date> {
  return sql<Date>`greatest(cast(${now.toISOString()} as timestamptz), ${sql.ref('state_timestamp')} + interval '1 microsecond')`;
}

// Prefect Server's run triggers: only `Running` itself starts a run (the earliest one counts),
// and only these six classes end it (the latest one counts); other finished classes such as
// Mapped, Skipped or TriggerFailed leave `end_time` as it was.
const START_TIME_STATES: readonly StateType[] = ['Running'];
const END_TIME_STATES: readonly StateType[] = ['Success', 'Failed', 'Cached', 'TimedOut', 'Looped', 'Cancelled'];

/**
 * Whether the state refreshes the run's heartbeat, as Prefect Server's state API does: a
 * running state for either kind of run, and a Submitted flow run state.
 */
function refreshesHeartbeat(table: RunTable, type: StateType): boolean {
  return isRunningState(type) || (table === 'flow_run' && type === 'Submitted');
}

/** Which runs get the state: one run by id, or (task runs) every unfinished run of a flow run. */
export type RunSelector = { readonly id: string } | { readonly flowRunId: string; readonly unfinishedOnly?: boolean };

export interface WriteOptions {
  /**
   * The run's first state, written with the version the run has (0) instead of the next one,
   * as Prefect Server inserts a task run together with its Pending state.
   */
  readonly initial?: boolean;
}

/**
 * A task run's new serialized state: Prefect Server carries the stored state's
 * `cached_inputs` forward when the new state brings none.
 */
function taskRunSerializedState(state: ParsedState): RawBuilder<string> {
  const sent = jsonb(state.serialized as JsonValue);
  const cachedInputs = state.serialized['cached_inputs'];
  const bringsNone = cachedInputs === undefined || cachedInputs === null || (typeof cachedInputs === 'object' && Object.keys(cachedInputs).length === 0);
  if (!bringsNone) return sql<string>`cast(${sent} as jsonb)`;
  const stored = sql`${sql.ref('serialized_state')} -> 'cached_inputs'`;
  return sql<string>`case when jsonb_typeof(${stored}) = 'object' and ${stored} <> '{}'::jsonb
    then cast(${sent} as jsonb) || jsonb_build_object('cached_inputs', ${stored})
    else cast(${sent} as jsonb) end`;
}

/**
 * Sets runs' state: one statement updates the denormalised `state*` columns, `version`
 * (+1), `start_time`, `end_time`, `heartbeat` and `updated` (by Prefect Server's rules above),
 * and copies the result into a new history row per run, so a run and its history cannot
 * disagree. The `version` a client sends plays no part: Prefect Server ignores it. Only rows of
 * `tenantId` are touched. Run it inside the caller's transaction.
 *
 * @returns one entry per run written (none when no run of the tenant matches).
 */
export async function writeRunStates(
  tx: Kysely<Tables>,
  table: RunTable,
  tenantId: string,
  selector: RunSelector,
  state: ParsedState,
  now: Date,
  options: WriteOptions = {},
): Promise<WrittenState[]> {
  // Both run tables have the same state columns and both history tables the same columns
  // apart from the run's id, so one statement serves both (typed as the flow-run pair).
  const runTable = table as 'flow_run';
  const historyTable = HISTORY[table] as 'flow_run_state';
  const runIdColumn = RUN_ID[table] as 'flow_run_id';
  const timestamp = nextStateTimestamp(now);
  const rows = await tx
    .with('changed', (db) =>
      db
        .updateTable(runTable)
        .set({
          state: state.type,
          state_message: state.message,
          state_result: state.result === null ? null : jsonb(state.result as JsonValue),
          serialized_state: table === 'task_run' ? taskRunSerializedState(state) : jsonb(state.serialized as JsonValue),
          state_start_time: state.startTime,
          version: options.initial === true ? sql<number>`${sql.ref('version')}` : sql<number>`${sql.ref('version')} + 1`,
          state_timestamp: timestamp,
          updated: timestamp,
          // least/greatest skip a null: the first Running sets start_time, the last end sets end_time.
          ...(START_TIME_STATES.includes(state.type) ? { start_time: sql<Date>`least(${sql.ref('start_time')}, ${timestamp})` } : {}),
          ...(END_TIME_STATES.includes(state.type) ? { end_time: sql<Date>`greatest(${sql.ref('end_time')}, ${timestamp})` } : {}),
          // The server's clock, as `update_*_heartbeat` writes it.
          ...(refreshesHeartbeat(table, state.type) ? { heartbeat: now } : {}),
        })
        .where('tenant_id', '=', tenantId)
        .where((eb) => {
          if ('id' in selector) return eb('id', '=', selector.id);
          const ofFlowRun = eb(sql.ref('flow_run_id'), '=', selector.flowRunId);
          if (selector.unfinishedOnly !== true) return ofFlowRun;
          return eb.and([ofFlowRun, eb.or([eb('state', 'is', null), eb('state', 'not in', [...FINISHED_STATE_TYPES])])]);
        })
        .returning(['id', 'tenant_id', 'state', 'state_message', 'state_result', 'state_start_time', 'state_timestamp', 'serialized_state', 'version']),
    )
    .insertInto(historyTable)
    .columns(['tenant_id', runIdColumn, 'timestamp', 'state', 'message', 'result', 'start_time', 'serialized_state', 'version'])
    // Positional: the history row takes the run's new columns as they were just written.
    .expression((db) =>
      db
        .selectFrom('changed')
        .select(['tenant_id', 'id', 'state_timestamp', 'state', 'state_message', 'state_result', 'state_start_time', 'serialized_state', 'version']),
    )
    .returning(['id', runIdColumn, 'version'])
    .execute();
  return rows.map((row) => ({ runId: row[runIdColumn], version: row.version ?? 0, stateId: row.id }));
}

/** {@link writeRunStates} for one run by id; undefined when the tenant has no such run. */
export async function writeRunState(
  tx: Kysely<Tables>,
  table: RunTable,
  target: { readonly id: string; readonly tenantId: string },
  state: ParsedState,
  now: Date,
  options: WriteOptions = {},
): Promise<WrittenState | undefined> {
  const [written] = await writeRunStates(tx, table, target.tenantId, { id: target.id }, state, now, options);
  return written;
}
