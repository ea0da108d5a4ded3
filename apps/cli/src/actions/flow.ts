/**
 * `runview flow`: a flow's metadata (by id, or by name within a project) and its recent runs.
 */
import { FlowView, formatDateTime, listFlowRuns } from '@runview/core';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { flowJson, flowRunSummaryJson } from '../json/models.js';
import { renderFlowRuns } from '../output/flow-run-table.js';
import { fieldLines, formatCount, formatList } from '../output/format.js';
import { requireId } from '../resolve.js';

/** The options of `runview flow`. */
export interface FlowOptions {
  readonly name?: string;
  readonly project?: string;
  readonly runs: number;
}

/** Shows a flow. */
export async function flow(context: Context, id: string | undefined, options: FlowOptions): Promise<number> {
  if (id !== undefined && options.name !== undefined) throw new UsageError('Give a flow id or --name, not both.');
  if (options.project !== undefined && options.name === undefined) throw new UsageError('--project narrows --name: give --name too.');
  const call = { client: context.client(), signal: context.io.signal };
  let view: FlowView;
  if (id !== undefined) view = await FlowView.fromFlowId(requireId(id, 'flow id'), call);
  else if (options.name !== undefined)
    view = await FlowView.fromFlowName(options.name, { ...call, ...(options.project === undefined ? {} : { projectName: options.project }) });
  else throw new UsageError('Give a flow id, or --name NAME.');
  const recent = options.runs > 0 ? await listFlowRuns(context.client(), { flowId: view.flowId, limit: options.runs }, { signal: context.io.signal }) : null;

  if (context.json) {
    context.printJson('flow', {
      flow: flowJson(view),
      ...(recent ? { recentFlowRuns: recent.flowRuns.map(flowRunSummaryJson), flowRunCount: recent.total } : {}),
    });
    return 0;
  }
  const { palette } = context;
  const runConfigType = view.runConfig?.['type'];
  context.print(`${palette.bold(view.name)}  ${palette.dim(view.flowId)}`);
  context.printLines(
    fieldLines(
      [
        ['Project', view.projectName],
        ['Version', view.version === null ? '-' : String(view.version)],
        ['Core version', view.coreVersion ?? '-'],
        ['Storage', view.storageType ?? '-'],
        ['Run config', typeof runConfigType === 'string' ? runConfigType : '-'],
        ['Labels', formatList(view.flowGroupLabels)],
        ['Archived', view.archived ? 'yes' : 'no'],
        ['Registered', formatDateTime(view.createdAt, { utc: context.utc })],
      ],
      palette,
    ),
  );
  if (recent) {
    context.print('');
    context.print(palette.bold(`Recent flow runs (${formatCount(recent.flowRuns.length)} of ${formatCount(recent.total)})`));
    if (recent.flowRuns.length === 0) context.print('  none');
    else context.printLines(renderFlowRuns(recent.flowRuns, { utc: context.utc, palette, width: context.width, indent: '  ' }));
  }
  return 0;
}
