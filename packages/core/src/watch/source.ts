/**
 * Where a watcher's snapshots come from: a poller (any Prefect Server) or a live subscription
 * (see `../live`). Both hand out the same `WatchSnapshot`s for the same cursors.
 */
import { FlowRunWatchDocument } from '@runview/documents';
import type { RunviewClient } from '../client/client.js';
import { NotFoundError } from '../errors.js';
import { snapshotFromResponse, watchVariables, type WatchCursors, type WatchSelection, type WatchSnapshot } from './snapshot.js';
import { delay } from './wait.js';

/** A stream of snapshots of one flow run. */
export interface SnapshotSource {
  /** `poll`: every snapshot is a fresh read; `live`: snapshots arrive when the run changes. */
  readonly kind: 'poll' | 'live';
  /**
   * The next snapshot after the given cursors: a poller waits `waitMs` then reads; a live
   * source returns the next push, or null when none came within `waitMs`.
   */
  next(cursors: WatchCursors, waitMs: number, signal: AbortSignal): Promise<WatchSnapshot | null>;
  /** Releases the source's resources (sockets, subscriptions). */
  close(): Promise<void>;
}

/** Reads a snapshot with one `FlowRunWatch` query. */
export async function readSnapshot(
  client: RunviewClient,
  flowRunId: string,
  cursors: WatchCursors,
  selection: WatchSelection,
  signal: AbortSignal,
): Promise<WatchSnapshot> {
  const data = await client.query(FlowRunWatchDocument, watchVariables(flowRunId, cursors, selection), { signal });
  const snapshot = snapshotFromResponse(data.flow_run_by_pk, selection, 'FlowRunWatch');
  if (snapshot === null) throw new NotFoundError('flow run', { flowRunId });
  return snapshot;
}

/** Polls with `FlowRunWatch`: one request per poll, whatever the run's size. */
export function pollingSource(client: RunviewClient, flowRunId: string, selection: WatchSelection): SnapshotSource {
  return {
    kind: 'poll',
    async next(cursors, waitMs, signal) {
      await delay(waitMs, signal);
      return readSnapshot(client, flowRunId, cursors, selection, signal);
    },
    close: () => Promise.resolve(),
  };
}
