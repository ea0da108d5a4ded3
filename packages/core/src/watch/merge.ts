/**
 * Turns snapshots into events, each exactly once and in one total order, whatever the
 * transport and however the snapshots fall in time.
 *
 * The order across histories is `(timestamp, kind, id)`. A snapshot is one consistent read of
 * every history (one SQL statement on the server); its rows are released at once, which keeps
 * a pushed state change as fast as the push. The exception is a log page that came back full:
 * more lines may sort before the rest of the snapshot, so only the rows before the page's end
 * go out until the log history catches up. So a subscription and a poller that see the same
 * run yield the same sequence.
 *
 * States and task-run changes are read after their own `(timestamp, id)` cursor. Log lines can
 * land late, behind lines already released (Prefect's runners upload them in batches), so each
 * pass of the log history starts a window behind the newest line released and skips, by id,
 * what was released or is waiting there (see `../logs/overlap.ts`). A late line is released
 * when it is found, after lines that sort later.
 */
import type { RunviewClient } from '../client/client.js';
import { compareKeys, cursorKey, type HistoryKey, type HistoryPosition, type LogCursor } from '../logs/cursor.js';
import { LogOverlap, type OverlapSettings } from '../logs/overlap.js';
import { checkPageOrder } from '../logs/page-order.js';
import { TaskRunView } from '../views/task-run-view.js';
import type { WatchEvent } from './events.js';
import type { WatchCursors, WatchSnapshot } from './snapshot.js';

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

/**
 * Where a read of the log history starts: at the floor (a pass over the window behind the
 * newest line, which finds the lines that landed late), or after the newest line handed out
 * (only what is new; cheap, for a live answer between passes).
 */
export type LogReadStart = 'floor' | 'newest';

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
  /** The log lines released, and the floor a pass starts from. */
  readonly #logs: LogOverlap;
  /** Log lines taken from snapshots and not released yet. */
  readonly #waitingLogs = new Set<string>();
  /** While a log page came back full: its last line, where the next page starts. */
  #logPageLast: HistoryPosition | null = null;
  /** Where the current pass over the log history started. */
  #passStart: LogReadStart = 'floor';
  /** Where the last pass that read to the end started; null before one did. */
  #lastPass: LogReadStart | null = null;
  #taskRunStateCursor: HistoryPosition | null = null;
  #pending: Pending[] = [];
  #pageEnd: bigint | null = null;

  constructor(client: RunviewClient, options: MergeOptions, after: LogCursor | null, lateLogs: OverlapSettings) {
    this.#client = client;
    this.#options = options;
    this.#logs = new LogOverlap(after, lateLogs);
  }

  /** The positions to read after: logs from `start`, or on from a full page while one is followed. */
  cursors(start: LogReadStart): WatchCursors {
    const log = this.#logPageLast ?? (start === 'floor' ? this.#logs.floor : (this.#logs.newest ?? this.#logs.floor));
    return { log, taskRunState: this.#taskRunStateCursor };
  }

  /** Where the pass being followed started (what to pass to `cursors` while `behind`). */
  get passStart(): LogReadStart {
    return this.#passStart;
  }

  /** Where the last pass that read to the end of the log history started. */
  get lastPass(): LogReadStart | null {
    return this.#lastPass;
  }

  /** True while a full log page says more lines are waiting: read on at once. */
  get behind(): boolean {
    return this.#logPageLast !== null;
  }

  /** Where the released log lines end (a version 2 cursor), to resume a watch or an iterator. */
  get logCursor(): LogCursor | null {
    return this.#logs.cursor;
  }

  /**
   * Takes a snapshot's new rows, read from `start` (ignored while a full page is followed: the
   * pass goes on); returns how many were new.
   *
   * @throws {@link InvalidResponseError} when its log lines are out of order, or not after the
   * full page they were asked to follow.
   */
  ingest(snapshot: WatchSnapshot, start: LogReadStart): number {
    if (!this.behind) this.#passStart = start;
    let fresh = 0;
    for (const entry of snapshot.states) {
      if (this.#seenStates.has(entry.key.id)) continue;
      this.#seenStates.add(entry.key.id);
      fresh += 1;
      if (this.#options.streamStates) this.#add(entry.key, KIND_RANK.state, { type: 'state', state: entry.state, timestamp: entry.at.date });
    }
    fresh += this.#ingestLogs(snapshot);
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

  #ingestLogs(snapshot: WatchSnapshot): number {
    // Only a read that follows a full page was asked for lines after a position this merger knows.
    checkPageOrder(snapshot.logs, cursorKey(this.#logPageLast), snapshot.operationName, 'flow_run_by_pk.logs');
    let fresh = 0;
    for (const log of snapshot.logs) {
      // A pass re-reads the window behind the newest line, and a live query answers from the
      // floor it was opened with: skip what is released or waiting.
      if (this.#waitingLogs.has(log.id) || this.#logs.has(log)) continue;
      fresh += 1;
      if (this.#options.streamLogs) {
        this.#waitingLogs.add(log.id);
        this.#add({ micros: log.epochMicros, id: log.id }, KIND_RANK.log, { type: 'log', log });
      } else {
        this.#logs.take(log);
      }
    }
    const last = snapshot.logPageFull ? snapshot.logs.at(-1) : undefined;
    this.#logPageLast = last === undefined ? null : { timestamp: last.timestampRaw, id: last.id };
    this.#pageEnd = last === undefined ? null : last.epochMicros;
    if (last === undefined) {
      this.#lastPass = this.#passStart;
      // A pass from the floor met every line after it.
      if (this.#passStart === 'floor') this.#logs.endPass();
    }
    return fresh;
  }

  /**
   * The events no row still to come can precede, in order. `final`: the watch is ending, so
   * everything taken is released. Pass each one to {@link handOut} as it goes to the consumer.
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

  /** Records a released event as handed to the consumer: a log line now counts in `logCursor`. */
  handOut(event: WatchEvent): void {
    if (event.type !== 'log') return;
    this.#waitingLogs.delete(event.log.id);
    this.#logs.take(event.log);
  }

  #add(key: HistoryKey, rank: number, event: WatchEvent): void {
    this.#pending.push({ key, rank, event });
  }
}
