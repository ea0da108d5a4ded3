/**
 * Following a flow run until it ends: its states (history first), its task runs' state
 * changes and its log lines, as one stream of events. `watch` and `logs --follow` read only
 * this module. It is @runview/core's `watchFlowRun`: live where the server pushes changes,
 * polling every 2 s otherwise, each event once and in order, late log lines drained after
 * the final state.
 */
import { watchFlowRun, type FlowRunView, type RunviewClient, type WatchEvent, type WatchOptions } from '@runview/core';

export type { WatchEvent } from '@runview/core';

/** What to follow and for how long (core's watch options, with the client required). */
export interface FollowOptions extends WatchOptions {
  readonly client: RunviewClient;
}

/** A followed flow run: iterate it once; `result` is the final view. */
export interface FollowedFlowRun extends AsyncIterable<WatchEvent> {
  readonly result: Promise<FlowRunView>;
}

/** Follows a flow run until it is finished. */
export function followFlowRun(flowRunId: string, options: FollowOptions): FollowedFlowRun {
  return watchFlowRun(flowRunId, options);
}
