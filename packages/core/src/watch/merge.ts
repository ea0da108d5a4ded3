/**
 * Turns snapshots into events, each exactly once and in one total order, whatever the
 * transport and however the snapshots fall in time.
 *
 * Each history is read after its own `(timestamp, id)` cursor, so no row is taken twice. The
 * order across histories is `(timestamp, kind, id)`. A snapshot is one consistent read of
 * every history (one SQL statement on the server), and rows are written in time order, so
 * once a snapshot is taken nothing still to come sorts before what it holds: its rows are
 * released at once, which keeps a pushed state change as fast as the push. The exception is
 * a log page that came back full: more lines may sort before the rest of the snapshot, so
 * only the rows before the page's end go out until the log history catches up. So a
 * subscription and a poller that see the same run yield the same sequence.
 */
import type { RunviewClient } from '../client/client.js';
import type { LogCursor } from '../logs/flow-run-log.js';
import { TaskRunView } from '../views/task-run-view.js';
import type { WatchEvent } from './events.js';
import { compareKeys, cursorKey, type HistoryCursor, type HistoryKey, type WatchCursors, type WatchSnapshot } from './snapshot.js';

/** Ties at one timestamp: the run's state first, then task runs, then log lines. */
const KIND_RANK = { state: 0, taskRun: 1, log: 2 } as const;

interface Pending {
  readonly key: HistoryKey;
  readonly rank: number;
  readonly event: WatchEvent;
}

function comparePending(a: Pending, b: Pending): number {
  if (a.key.micros !== b.key.micros) return a.key.micros < b.key.micros ? -1 : 1;
  if (a.rank !== b.rank) return a.rank - b.rank;
  return a.key.id < b.key.id ? -1 : a.key.id > b.key.id ? 1 : 0;
}

/** Which histories become events. */
export interface MergeOptions {
  readonly streamStates: boolean;
  readonly streamLogs: boolean;
  readonly streamTaskRuns: boolean;
}

export class EventMerger {
  readonly #client: RunviewClient;
  readonly #options: MergeOptions;
  readonly #seenStates = new Set<string>();
  #logCursor: LogCursor | null;
  #taskRunStateCursor: HistoryCursor | null = null;
  #pending: Pending[] = [];
  #pageEnd: bigint | null = null;

  constructor(client: RunviewClient, options: MergeOptions, after: LogCursor | null = null) {
    this.#client = client;
    this.#options = options;
    this.#logCursor = after;
  }

  /** The positions to read after. */
  get cursors(): WatchCursors {
    return { log: this.#logCursor, taskRunState: this.#taskRunStateCursor };
  }

  /** True while a full log page says more lines are waiting: read again at once. */
  get behind(): boolean {
    return this.#pageEnd !== null;
  }

  /** Takes a snapshot's new rows; returns how many were new. */
  ingest(snapshot: WatchSnapshot): number {
    let fresh = 0;
    for (const entry of snapshot.states) {
      if (this.#seenStates.has(entry.key.id)) continue;
      this.#seenStates.add(entry.key.id);
      fresh += 1;
      if (this.#options.streamStates) this.#add(entry.key, KIND_RANK.state, { type: 'state', state: entry.state, timestamp: entry.at.date });
    }
    const logAfter = cursorKey(this.#logCursor);
    let lastLogKey: HistoryKey | null = null;
    for (const log of snapshot.logs) {
      const key = { micros: log.epochMicros, id: log.id };
      lastLogKey = key;
      // A live query keeps answering from the cursor it was opened with: skip what is taken.
      if (logAfter !== null && compareKeys(key, logAfter) <= 0) continue;
      this.#logCursor = log.cursor;
      fresh += 1;
      if (this.#options.streamLogs) this.#add(key, KIND_RANK.log, { type: 'log', log });
    }
    this.#pageEnd = snapshot.logPageFull && lastLogKey !== null ? lastLogKey.micros : null;
    const taskRunAfter = cursorKey(this.#taskRunStateCursor);
    for (const change of snapshot.taskRunChanges) {
      if (taskRunAfter !== null && compareKeys(change.key, taskRunAfter) <= 0) continue;
      this.#taskRunStateCursor = change.cursor;
      fresh += 1;
      if (this.#options.streamTaskRuns) {
        this.#add(change.key, KIND_RANK.taskRun, { type: 'taskRun', taskRun: new TaskRunView(change.taskRun, this.#client), timestamp: change.at.date });
      }
    }
    return fresh;
  }

  /**
   * The events no row still to come can precede, in order. `final`: the watch is ending, so
   * everything taken is released.
   */
  release(final = false): WatchEvent[] {
    // Past the end of a full log page more lines may sort earlier than the rest.
    const bound = final ? null : this.#pageEnd;
    this.#pending.sort(comparePending);
    let count = this.#pending.length;
    if (bound !== null) {
      count = this.#pending.findIndex((entry) => entry.key.micros >= bound);
      if (count === -1) count = this.#pending.length;
    }
    const released = this.#pending.slice(0, count).map((entry) => entry.event);
    this.#pending = this.#pending.slice(count);
    return released;
  }

  #add(key: HistoryKey, rank: number, event: WatchEvent): void {
    this.#pending.push({ key, rank, event });
  }
}
