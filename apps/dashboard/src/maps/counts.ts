import type { TaskRunStateCountsQuery } from '@runview/documents';

/** How many task runs are in one state. */
export interface StateCount {
  /** A state name, or `Other` for states this dashboard does not know. */
  readonly state: string;
  readonly count: number;
}

/** The non-zero counts of a TaskRunStateCounts answer, largest first, and the total. */
export function stateCounts(data: TaskRunStateCountsQuery): { total: number; counts: StateCount[] } {
  const { total: totalAggregate, ...byState } = data;
  const total = totalAggregate.aggregate?.count ?? 0;
  const counts = Object.entries(byState)
    .map(([state, value]) => ({ state, count: value.aggregate?.count ?? 0 }))
    .filter((entry) => entry.count > 0)
    .sort((a, b) => b.count - a.count || a.state.localeCompare(b.state));
  const named = counts.reduce((sum, entry) => sum + entry.count, 0);
  if (total > named) counts.push({ state: 'Other', count: total - named });
  return { total, counts };
}
