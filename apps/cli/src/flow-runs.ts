/**
 * Listing flow runs (`runview runs`, a flow's recent runs): the one place the CLI reads an
 * API response itself, since a list needs only the denormalised state columns, not a
 * `FlowRunView` per row. The filter is a typed `flow_run_bool_exp` with absent criteria
 * omitted.
 */
import { formatTimestamp, tryParseTimestamp, type CallOptions, type RunviewClient } from '@runview/core';
import { FlowRunsDocument, type Flow_Run_Bool_Exp, type FlowRunsQuery } from '@runview/documents';

/** What to list. */
export interface FlowRunCriteria {
  readonly name?: string | undefined;
  readonly states?: readonly string[] | undefined;
  readonly flowName?: string | undefined;
  readonly flowId?: string | undefined;
  /** Runs scheduled at or after this time. */
  readonly since?: Date | undefined;
  readonly limit: number;
}

/** One row of the list, in the shape of the views' JSON (camelCase, ISO strings). */
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

/** A page of the list and how many runs match in all. */
export interface FlowRunList {
  readonly flowRuns: readonly FlowRunSummary[];
  readonly total: number;
}

/** The `where` of a listing. */
export function flowRunFilter(criteria: FlowRunCriteria): Flow_Run_Bool_Exp {
  const filter: Flow_Run_Bool_Exp = {};
  if (criteria.name !== undefined) filter.name = { _eq: criteria.name };
  if (criteria.states !== undefined && criteria.states.length > 0) filter.state = { _in: [...criteria.states] };
  if (criteria.flowId !== undefined) filter.flow_id = { _eq: criteria.flowId };
  if (criteria.flowName !== undefined) filter.flow = { name: { _eq: criteria.flowName } };
  if (criteria.since !== undefined) filter.scheduled_start_time = { _gte: formatTimestamp(criteria.since) };
  return filter;
}

type Row = FlowRunsQuery['flow_run'][number];

function labelsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((label): label is string => typeof label === 'string') : [];
}

function summaryOf(row: Row): FlowRunSummary {
  return {
    flowRunId: row.id,
    name: row.name,
    state: row.state,
    stateMessage: row.state_message,
    labels: labelsOf(row.labels),
    flowId: row.flow_id,
    flowName: row.flow.name,
    projectName: row.flow.project.name,
    scheduledStartTime: row.scheduled_start_time,
    startTime: row.start_time,
    endTime: row.end_time,
    updated: row.updated,
  };
}

/** Flow runs matching `criteria`, newest scheduled first, in one request. */
export async function listFlowRuns(client: RunviewClient, criteria: FlowRunCriteria, call: CallOptions = {}): Promise<FlowRunList> {
  const data = await client.query(FlowRunsDocument, { filter: flowRunFilter(criteria), limit: criteria.limit, offset: 0 }, call);
  return { flowRuns: data.flow_run.map(summaryOf), total: data.flow_run_aggregate.aggregate?.count ?? data.flow_run.length };
}

/** A time of a summary as a `Date`, or null. */
export function summaryDate(value: string | null): Date | null {
  if (value === null) return null;
  const parsed = tryParseTimestamp(value);
  return parsed ? parsed.date : null;
}
