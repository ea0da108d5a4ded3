/**
 * The objects of the `--json` contract, built from the views: camelCase throughout, the state
 * flat (`state` is its name, `stateMessage` its message) with Prefect's serialized state kept
 * under `serializedState`, and every time in the one format of {@link jsonTime}.
 */
import type { FlowRunLog, FlowRunSummary, FlowRunView, FlowView, State, TaskRunStateCounts, TaskRunView } from '@runview/core';
import type { JsonObject } from '@runview/documents';
import { jsonTime, requiredJsonTime } from './time.js';

/** A state, flat. */
export function stateJson(state: State): { state: string; stateMessage: string | null; stateTimestamp: string | null; serializedState: JsonObject } {
  return { state: state.type, stateMessage: state.message, stateTimestamp: jsonTime(state.timestampRaw), serializedState: state.serialize() };
}

/** A row of `runview runs` (the list reads the state columns only: no serialized state). */
export function flowRunSummaryJson(run: FlowRunSummary): Record<string, unknown> {
  return {
    flowRunId: run.flowRunId,
    name: run.name,
    flowId: run.flowId,
    flowName: run.flowName,
    projectName: run.projectName,
    state: run.state,
    stateMessage: run.stateMessage,
    labels: run.labels,
    scheduledStartTime: requiredJsonTime(run.scheduledStartTime),
    startTime: jsonTime(run.startTime),
    endTime: jsonTime(run.endTime),
    updated: requiredJsonTime(run.updated),
  };
}

/** A flow run with its state history (the flow and task runs are given beside it, once). */
export function flowRunJson(view: FlowRunView): Record<string, unknown> {
  const json = view.toJSON();
  const { serializedState, ...state } = stateJson(view.state);
  return {
    flowRunId: json.flowRunId,
    name: json.name,
    flowId: json.flowId,
    ...state,
    labels: json.labels,
    parameters: json.parameters,
    context: json.context,
    runConfig: json.runConfig,
    scheduledStartTime: requiredJsonTime(json.scheduledStartTime),
    startTime: jsonTime(json.startTime),
    endTime: jsonTime(json.endTime),
    created: requiredJsonTime(json.created),
    updated: requiredJsonTime(json.updated),
    version: json.version,
    states: view.states.map((entry) => stateJson(entry)),
    serializedState,
  };
}

/** A task run. */
export function taskRunJson(view: TaskRunView): Record<string, unknown> {
  const json = view.toJSON();
  const { serializedState, ...state } = stateJson(view.state);
  return {
    taskRunId: json.taskRunId,
    taskId: json.taskId,
    taskSlug: json.taskSlug,
    taskName: json.taskName,
    taskMapped: json.taskMapped,
    name: json.name,
    flowRunId: json.flowRunId,
    mapIndex: json.mapIndex,
    ...state,
    startTime: jsonTime(json.startTime),
    endTime: jsonTime(json.endTime),
    updated: requiredJsonTime(json.updated),
    version: json.version,
    serializedState,
  };
}

/** A flow's metadata. */
export function flowJson(view: FlowView): Record<string, unknown> {
  const json = view.toJSON();
  return { ...json, created: requiredJsonTime(json.created) };
}

/** A log line. */
export function logJson(log: FlowRunLog): Record<string, unknown> {
  const json = log.toJSON();
  return { ...json, timestamp: requiredJsonTime(json.timestamp) };
}

/** Task runs counted by state. */
export function stateCountsJson(counts: TaskRunStateCounts): Record<string, unknown> {
  return { total: counts.total, byState: counts.byState, other: counts.other };
}
