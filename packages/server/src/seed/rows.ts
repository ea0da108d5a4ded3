import { jsonb, type JsonValue, type NewRow } from '../db/tables.js';
import { isFinishedState, isRunningState, parseState, serializeState, type JsonObject, type StateType } from '../states/index.js';
import { demoId } from './ids.js';

/** One state of a demo run's history, at a fixed time. */
export interface StateSpec {
  readonly type: StateType;
  /** ISO 8601 with microseconds, e.g. `2021-05-12T17:59:56.383629+00:00`. */
  readonly at: string;
  readonly message: string;
  readonly startTime?: string;
  readonly result?: JsonObject;
  readonly extra?: JsonObject;
}

/** The columns a run and its history rows share, derived from its states in order. */
interface StateColumns {
  readonly state: string;
  readonly state_message: string;
  readonly state_result: string | null;
  readonly serialized_state: string;
  readonly state_timestamp: string;
  readonly state_start_time: string | null;
  readonly start_time: string | null;
  readonly end_time: string | null;
  readonly version: number;
}

function serialize(spec: StateSpec): JsonObject {
  return serializeState(spec.type, {
    message: spec.message,
    ...(spec.startTime === undefined ? {} : { startTime: spec.startTime }),
    ...(spec.result === undefined ? {} : { result: spec.result }),
    ...(spec.extra === undefined ? {} : { extra: spec.extra }),
  });
}

/**
 * What the run's state columns hold after its history, by the rules `set_*_run_states`
 * follows: the last state, `start_time` of the first running state, `end_time` of a
 * finished last state, one version per state.
 */
function stateColumns(states: readonly StateSpec[]): StateColumns {
  const last = states.at(-1);
  if (!last) throw new RangeError('a demo run needs at least one state');
  const parsed = parseState(serialize(last));
  return {
    state: parsed.type,
    state_message: last.message,
    state_result: parsed.result === null ? null : jsonb(parsed.result as JsonValue),
    serialized_state: jsonb(parsed.serialized as JsonValue),
    state_timestamp: last.at,
    state_start_time: parsed.startTime,
    start_time: states.find((state) => isRunningState(state.type))?.at ?? null,
    end_time: isFinishedState(last.type) ? last.at : null,
    version: states.length,
  };
}

function historyRows(runKey: string, tenantId: string, states: readonly StateSpec[]) {
  return states.map((spec, index) => {
    const parsed = parseState(serialize(spec));
    return {
      id: demoId(`${runKey}/state/${index}`),
      tenant_id: tenantId,
      created: spec.at,
      updated: spec.at,
      timestamp: spec.at,
      state: parsed.type,
      message: spec.message,
      result: parsed.result === null ? null : jsonb(parsed.result as JsonValue),
      start_time: parsed.startTime,
      serialized_state: jsonb(parsed.serialized as JsonValue),
      version: index + 1,
    };
  });
}

export interface FlowRunSpec {
  readonly id: string;
  readonly flowId: string;
  readonly name: string;
  readonly states: readonly StateSpec[];
  readonly labels?: readonly string[];
  readonly parameters?: JsonObject;
  readonly agentId?: string;
  /** Defaults to the last state's time; must not precede the run's last log. */
  readonly updated?: string;
}

export function flowRunRows(spec: FlowRunSpec, tenantId: string): { run: NewRow<'flow_run'>; history: NewRow<'flow_run_state'>[] } {
  const first = spec.states[0];
  const columns = stateColumns(spec.states);
  return {
    run: {
      id: spec.id,
      tenant_id: tenantId,
      created: first?.at ?? columns.state_timestamp,
      updated: spec.updated ?? columns.state_timestamp,
      flow_id: spec.flowId,
      name: spec.name,
      parameters: jsonb(spec.parameters ?? {}),
      context: jsonb({}),
      labels: jsonb([...(spec.labels ?? [])]),
      scheduled_start_time: first?.startTime ?? first?.at ?? columns.state_timestamp,
      agent_id: spec.agentId ?? null,
      ...columns,
    },
    history: historyRows(`flow-run/${spec.id}`, tenantId, spec.states).map((row) => ({ ...row, flow_run_id: spec.id })),
  };
}

export interface TaskRunSpec {
  readonly id: string;
  readonly flowRunId: string;
  readonly taskId: string;
  readonly mapIndex?: number;
  readonly states: readonly StateSpec[];
}

export function taskRunRows(spec: TaskRunSpec, tenantId: string): { run: NewRow<'task_run'>; history: NewRow<'task_run_state'>[] } {
  const columns = stateColumns(spec.states);
  const created = spec.states[0]?.at ?? columns.state_timestamp;
  return {
    run: {
      id: spec.id,
      tenant_id: tenantId,
      created,
      updated: columns.state_timestamp,
      flow_run_id: spec.flowRunId,
      task_id: spec.taskId,
      map_index: spec.mapIndex ?? -1,
      ...columns,
    },
    history: historyRows(`task-run/${spec.id}`, tenantId, spec.states).map((row) => ({ ...row, task_run_id: spec.id })),
  };
}
