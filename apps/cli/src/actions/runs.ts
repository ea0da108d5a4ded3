/**
 * `runview runs`: flow runs, newest first, filtered by name, state, flow and time.
 */
import { listFlowRuns } from '@runview/core';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { flowRunSummaryJson } from '../json/models.js';
import { parseSince } from '../output/duration.js';
import { renderFlowRuns } from '../output/flow-run-table.js';
import { formatCount } from '../output/format.js';
import { parseStateName } from '../output/state.js';

/** The options of `runview runs`. */
export interface RunsOptions {
  readonly name?: string;
  readonly state?: string;
  readonly flow?: string;
  readonly project?: string;
  readonly exact?: boolean;
  readonly since?: string;
  readonly limit: number;
}

/** `--state failed,running` → `['Failed', 'Running']`. */
function parseStates(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const name = parseStateName(part);
      if (name === null) throw new UsageError(`--state: ${JSON.stringify(part)} is not a Prefect state (Success, Failed, Running, Scheduled, Cancelled, ...).`);
      return name;
    });
}

/** Lists flow runs; `--name` finds the runs whose name contains it, those named exactly so first. */
export async function runs(context: Context, options: RunsOptions): Promise<number> {
  const list = await listFlowRuns(
    context.client(),
    {
      name: options.name,
      nameMatch: options.exact === true ? 'exact' : 'search',
      projectName: options.project,
      states: options.state === undefined ? undefined : parseStates(options.state),
      flowName: options.flow,
      since: options.since === undefined ? undefined : parseSince(options.since),
      limit: options.limit,
    },
    { signal: context.io.signal },
  );
  if (context.json) {
    context.printJson('flowRuns', { flowRuns: list.flowRuns.map(flowRunSummaryJson), total: list.total });
    return 0;
  }
  if (list.flowRuns.length === 0) {
    context.print('No flow runs match.');
    return 0;
  }
  context.printLines(renderFlowRuns(list.flowRuns, { utc: context.utc, palette: context.palette, width: context.width }));
  if (list.total > list.flowRuns.length)
    context.print(context.palette.dim(`${formatCount(list.flowRuns.length)} of ${formatCount(list.total)} shown (--limit to see more)`));
  return 0;
}
