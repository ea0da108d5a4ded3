/**
 * `FlowRunSummary`: one row of a flow run list, as the CLI's tables and the dashboard's runs
 * page both show it. A list needs only the run's denormalised state columns, so a row is not
 * a `FlowRunView`.
 */
import type { FlowRunsQuery } from '@runview/documents';

/** One row of a list: the run's columns as the API sends them (times as the API's strings). */
export interface FlowRunSummary {
  readonly flowRunId: string;
  readonly name: string | null;
  readonly state: string | null;
  readonly stateMessage: string | null;
  readonly labels: readonly string[];
  readonly flowId: string;
  readonly flowName: string;
  readonly projectName: string;
  readonly scheduledStartTime: string;
  readonly startTime: string | null;
  readonly endTime: string | null;
  readonly updated: string;
}

/** A row of the `FlowRuns` query, as the list reads it. */
export type FlowRunSummaryRow = FlowRunsQuery['flow_run'][number];

function labelsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((label): label is string => typeof label === 'string') : [];
}

/** The summary of one `FlowRuns` row (the dashboard reads the same query through Apollo). */
export function flowRunSummaryOf(row: FlowRunSummaryRow): FlowRunSummary {
  return Object.freeze({
    flowRunId: row.id,
    name: row.name,
    state: row.state,
    stateMessage: row.state_message,
    labels: Object.freeze(labelsOf(row.labels)),
    flowId: row.flow_id,
    flowName: row.flow.name,
    projectName: row.flow.project.name,
    scheduledStartTime: row.scheduled_start_time,
    startTime: row.start_time,
    endTime: row.end_time,
    updated: row.updated,
  });
}
