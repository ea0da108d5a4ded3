import { sql, type Kysely, type RawBuilder } from 'kysely';
import { jsonb, type JsonValue, type Tables } from '../db/tables.js';
import { FINISHED_STATE_TYPES, isFinishedState, isRunningState, type ParsedState } from '../states/index.js';

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

/** Which runs get the state: one run by id, or (task runs) every unfinished run of a flow run. */
export type RunSelector = { readonly id: string } | { readonly flowRunId: string; readonly unfinishedOnly?: boolean };

/**
 * Sets runs' state: one statement updates the denormalised `state*` columns, `version`
 * (+1), `start_time` (the first Running state), `end_time` (a finished state) and `updated`,
 * and copies the result into a new history row per run, so a run and its history cannot
 * disagree. Only rows of `tenantId` are touched. Run it inside the caller's transaction.
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
): Promise<WrittenState[]> {
  // Both run tables have the same state columns and both history tables the same columns
  // apart from the run's id, so one statement serves both (typed as the flow-run pair).
  const runTable = table as 'flow_run';
  const historyTable = HISTORY[table] as 'flow_run_state';
  const runIdColumn = RUN_ID[table] as 'flow_run_id';
  const timestamp = nextStateTimestamp(now);
  const finished = isFinishedState(state.type);
  const rows = await tx
    .with('changed', (db) =>
      db
        .updateTable(runTable)
        .set({
          state: state.type,
          state_message: state.message,
          state_result: state.result === null ? null : jsonb(state.result as JsonValue),
          serialized_state: jsonb(state.serialized as JsonValue),
          state_start_time: state.startTime,
          version: sql<number>`${sql.ref('version')} + 1`,
          state_timestamp: timestamp,
          updated: timestamp,
          ...(isRunningState(state.type) ? { start_time: sql<Date>`coalesce(${sql.ref('start_time')}, ${timestamp})` } : {}),
          ...(finished ? { end_time: timestamp } : {}),
        })
        .where('tenant_id', '=', tenantId)
        .where((eb) => {
          if ('id' in selector) return eb('id', '=', selector.id);
          const ofFlowRun = eb(sql.ref('flow_run_id'), '=', selector.flowRunId);
          if (selector.unfinishedOnly !== true) return ofFlowRun;
          return eb.and([ofFlowRun, eb.or([eb('state', 'is', null), eb('state', 'not in', [...FINISHED_STATE_TYPES])])]);
        })
        .returning([
          'id',
          'tenant_id',
          'state',
          'state_message',
          'state_result',
          'state_start_time',
          'state_timestamp',
          'serialized_state',
          'version',
        ]),
    )
    .insertInto(historyTable)
    .columns(['tenant_id', runIdColumn, 'timestamp', 'state', 'message', 'result', 'start_time', 'serialized_state', 'version'])
    // Positional: the history row takes the run's new columns as they were just written.
    .expression((db) =>
      db
        .selectFrom('changed')
        .select([
          'tenant_id',
          'id',
          'state_timestamp',
          'state',
          'state_message',
          'state_result',
          'state_start_time',
          'serialized_state',
          'version',
        ]),
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
): Promise<WrittenState | undefined> {
  const [written] = await writeRunStates(tx, table, target.tenantId, { id: target.id }, state, now);
  return written;
}
