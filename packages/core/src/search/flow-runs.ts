/**
 * Listing and finding flow runs by what a person remembers of them: a part of the name, the
 * state, the flow, the project, a time. A list needs only the denormalised state columns, so
 * its rows are {@link FlowRunSummary}s, not a `FlowRunView` each. Names are searched as
 * Prefect's UI does (`_ilike` with `%` around the text, case-insensitive), with the runs whose
 * name is exactly the text first.
 */
import { FlowRunsDocument, type Flow_Run_Bool_Exp } from '@runview/documents';
import { requireNonEmpty } from '../arguments.js';
import type { CallOptions, RunviewClient } from '../client/client.js';
import { flowRunSummaryOf, type FlowRunSummary } from '../display/flow-run-summary.js';
import { AmbiguousError, NotFoundError } from '../errors.js';
import { formatTimestamp } from '../time.js';

/** How `name` matches: exactly, or as a case-insensitive part of the name (exact matches first). */
export type NameMatch = 'exact' | 'search';

/** What to list. Absent criteria are left out of the query, never sent as null. */
export interface FlowRunCriteria {
  readonly name?: string | undefined;
  /** Default `'exact'`. */
  readonly nameMatch?: NameMatch | undefined;
  readonly states?: readonly string[] | undefined;
  readonly flowName?: string | undefined;
  readonly flowId?: string | undefined;
  readonly projectName?: string | undefined;
  /** Runs scheduled at or after this time. */
  readonly since?: Date | undefined;
  readonly limit: number;
}

/** A page of the list and how many runs match in all. */
export interface FlowRunList {
  readonly flowRuns: readonly FlowRunSummary[];
  readonly total: number;
}

/** `_ilike`'s pattern for "contains `text`": its own `%`, `_` and `\` escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** The `where` of a listing. */
export function flowRunFilter(criteria: Omit<FlowRunCriteria, 'limit'>): Flow_Run_Bool_Exp {
  const filter: Flow_Run_Bool_Exp = {};
  if (criteria.name !== undefined) filter.name = criteria.nameMatch === 'search' ? { _ilike: containsPattern(criteria.name) } : { _eq: criteria.name };
  if (criteria.states !== undefined && criteria.states.length > 0) filter.state = { _in: [...criteria.states] };
  if (criteria.flowId !== undefined) filter.flow_id = { _eq: criteria.flowId };
  if (criteria.flowName !== undefined || criteria.projectName !== undefined) {
    filter.flow = {
      ...(criteria.flowName === undefined ? {} : { name: { _eq: criteria.flowName } }),
      ...(criteria.projectName === undefined ? {} : { project: { name: { _eq: criteria.projectName } } }),
    };
  }
  if (criteria.since !== undefined) filter.scheduled_start_time = { _gte: formatTimestamp(criteria.since) };
  return filter;
}

async function page(client: RunviewClient, criteria: FlowRunCriteria, call: CallOptions): Promise<FlowRunList> {
  const data = await client.query(FlowRunsDocument, { filter: flowRunFilter(criteria), limit: criteria.limit, offset: 0 }, call);
  return { flowRuns: data.flow_run.map(flowRunSummaryOf), total: data.flow_run_aggregate.aggregate?.count ?? data.flow_run.length };
}

/** 0: the name is the text; 1: it is, ignoring case; 2: it starts with it; 3: it contains it. */
function closeness(name: string | null, text: string): number {
  if (name === text) return 0;
  const lower = (name ?? '').toLowerCase();
  const wanted = text.toLowerCase();
  if (lower === wanted) return 1;
  return lower.startsWith(wanted) ? 2 : 3;
}

/**
 * The rows of a name search, closest first: named exactly so, then so ignoring case, then
 * starting with the text, then containing it; the API's order (newest first) within each.
 */
export function byNameCloseness<T extends { readonly name: string | null }>(rows: readonly T[], text: string): T[] {
  return rows
    .map((row, index) => ({ row, index, rank: closeness(row.name, text) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.row);
}

/**
 * Flow runs matching `criteria`, newest scheduled first. A name search puts the runs named
 * exactly so first, then those whose name starts with the text; one request, or two when the
 * page is full and might have missed an exact match.
 */
export async function listFlowRuns(client: RunviewClient, criteria: FlowRunCriteria, call: CallOptions = {}): Promise<FlowRunList> {
  if (criteria.nameMatch !== 'search' || criteria.name === undefined) return page(client, criteria, call);
  const text = criteria.name;
  const found = await page(client, criteria, call);
  let rows = found.flowRuns;
  if (found.total > rows.length) {
    const exact = await page(client, { ...criteria, nameMatch: 'exact' }, call);
    const ids = new Set(exact.flowRuns.map((run) => run.flowRunId));
    rows = [...exact.flowRuns, ...rows.filter((run) => !ids.has(run.flowRunId))].slice(0, criteria.limit);
  }
  return { flowRuns: byNameCloseness(rows, text), total: found.total };
}

/** How many candidates an ambiguous name lists. */
const CANDIDATES = 10;

/**
 * The one flow run a name designates: the run named exactly so, otherwise the only run whose
 * name contains it (ignoring case). Several runs (names are not unique) are an
 * {@link AmbiguousError} listing them; none a {@link NotFoundError}. One request when the name
 * is exact, two otherwise.
 */
export async function findFlowRunByName(
  client: RunviewClient,
  name: string,
  options: CallOptions & { readonly projectName?: string | undefined } = {},
): Promise<FlowRunSummary> {
  const text = requireNonEmpty(name, 'name');
  const { projectName, ...call } = options;
  const scope = projectName === undefined ? {} : { projectName };
  const lookup = { name: text, ...scope };
  const ambiguous = (runs: readonly FlowRunSummary[], hint: string): AmbiguousError =>
    new AmbiguousError(
      'flow run',
      lookup,
      runs.map((run) => ({ id: run.flowRunId, name: run.name, detail: `${run.state ?? 'no state'}, scheduled ${run.scheduledStartTime}` })),
      hint,
    );
  const exact = await page(client, { name: text, ...scope, limit: CANDIDATES }, call);
  const [first] = exact.flowRuns;
  if (first && exact.flowRuns.length === 1) return first;
  if (first) throw ambiguous(exact.flowRuns, 'Names are not unique: give the flow run id.');
  const similar = await listFlowRuns(client, { name: text, nameMatch: 'search', ...scope, limit: CANDIDATES }, call);
  const [only] = similar.flowRuns;
  if (only && similar.total === 1) return only;
  if (only) throw ambiguous(similar.flowRuns, `${String(similar.total)} flow run names contain ${JSON.stringify(text)}: give more of the name, or the id.`);
  throw new NotFoundError(
    'flow run',
    lookup,
    `No flow run is named ${JSON.stringify(text)} or has a name containing it${projectName === undefined ? '' : ` in project ${JSON.stringify(projectName)}`}.`,
  );
}
