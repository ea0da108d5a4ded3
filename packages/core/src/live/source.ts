/**
 * A watcher's snapshots pushed by the server: the `FlowRunWatchLive` subscription, a live
 * query the server re-runs when the run changes. Its variables stay fixed while it lives: its
 * log lines start at the watcher's log floor (so lines that land late behind the newest line
 * show up in the next answer), and the source re-subscribes from the watcher's own cursors
 * once the answers carry too many rows the watcher has moved past. The rest of a full log
 * page is read by the watcher with a query. A dropped connection is re-opened from those
 * cursors (nothing lost: the first answer covers everything after them; nothing repeated: the
 * watcher skips what it has); when it cannot be, the watcher falls back to polling.
 */
import { FlowRunWatchLiveDocument, type FlowRunWatchLiveSubscription } from '@runview/documents';
import type { FormattedExecutionResult } from 'graphql';
import type { Client } from 'graphql-ws';
import { wireOperation } from '../client/document.js';
import { AbortError, isRunviewError } from '../errors.js';
import { compareKeys, cursorKey, type HistoryKey } from '../logs/cursor.js';
import { snapshotFromResponse, watchVariables, type WatchCursors, type WatchSelection, type WatchSnapshot } from '../watch/snapshot.js';
import type { SnapshotSource } from '../watch/source.js';
import { delay, within } from '../watch/wait.js';
import type { LiveConnection } from './transport.js';

/**
 * Answers carrying this many rows the watcher has moved past (at or below its cursors) are
 * replaced by a subscription from the cursors; at most half a log page, so that a page is
 * never mostly such rows.
 */
const STALE_ROWS = 1000;

function staleRowLimit(selection: WatchSelection): number {
  return Math.max(1, Math.min(STALE_ROWS, Math.floor(selection.logLimit / 2)));
}

function atOrBefore(key: HistoryKey, bound: HistoryKey | null): boolean {
  return bound !== null && compareKeys(key, bound) <= 0;
}

/** The rows of a snapshot at or below the cursors it was asked for: read again for nothing. */
function staleRows(snapshot: WatchSnapshot, cursors: WatchCursors): number {
  const log = cursorKey(cursors.log);
  const taskRunState = cursorKey(cursors.taskRunState);
  let count = 0;
  for (const line of snapshot.logs) if (atOrBefore({ micros: line.epochMicros, id: line.id }, log)) count += 1;
  for (const change of snapshot.taskRunChanges) if (atOrBefore(change.key, taskRunState)) count += 1;
  return count;
}

/** Re-connections tried, one after another, before the watcher polls instead. */
const MAX_RECONNECTS = 5;

/** How long to wait for the server's `connection_ack`. */
const ACK_TIMEOUT_MS = 10_000;

/**
 * How long a new subscription may take to send its first answer (it answers at once on a
 * healthy server) before the connection counts as failed: a watch never waits on a socket
 * that went quiet without closing.
 */
const FIRST_ANSWER_TIMEOUT_MS = ACK_TIMEOUT_MS + 5_000;

/** How long closing a connection may take before the source goes on without it. */
const DISPOSE_TIMEOUT_MS = 1_000;

/** The live transport cannot serve this watch (refused, or lost for good); the watcher polls instead. */
export class LiveUnavailable extends Error {
  override readonly name = 'LiveUnavailable';

  constructor(reason: unknown) {
    super(typeof reason === 'string' ? reason : 'the live transport failed', { cause: reason });
  }
}

/** For closing when no watch is waiting on it (`close()`): nothing can cut the wait short. */
const NEVER_ABORTED = new AbortController().signal;

/** Waits for `promise` to settle, however it settles, for at most {@link DISPOSE_TIMEOUT_MS}. */
async function settled(promise: Promise<unknown>, signal: AbortSignal = NEVER_ABORTED): Promise<void> {
  await within(
    promise.then(
      () => undefined,
      () => undefined,
    ),
    DISPOSE_TIMEOUT_MS,
    signal,
  ).catch(() => undefined);
}

type Answer = FormattedExecutionResult<FlowRunWatchLiveSubscription, unknown>;

class LiveSource implements SnapshotSource {
  readonly kind = 'live';
  readonly #connection: LiveConnection;
  readonly #flowRunId: string;
  readonly #selection: WatchSelection;
  #client: Client | null = null;
  #answers: AsyncIterableIterator<Answer> | null = null;
  #pending: Promise<IteratorResult<Answer>> | null = null;
  #resubscribe = true;
  #answered = false;
  #failures = 0;

  constructor(connection: LiveConnection, flowRunId: string, selection: WatchSelection) {
    this.#connection = connection;
    this.#flowRunId = flowRunId;
    this.#selection = selection;
  }

  async next(cursors: WatchCursors, waitMs: number, signal: AbortSignal): Promise<WatchSnapshot | null> {
    for (;;) {
      try {
        let timeout = waitMs;
        const fresh = this.#resubscribe || this.#answers === null;
        if (fresh) {
          await this.#subscribe(cursors, signal);
          // A new subscription answers at once with its first result.
          timeout = FIRST_ANSWER_TIMEOUT_MS;
        }
        const answers = this.#answers;
        if (answers === null) throw new LiveUnavailable('no subscription');
        this.#pending ??= answers.next();
        const result = await within(this.#pending, timeout, signal);
        if (result === undefined) {
          if (fresh) throw new LiveUnavailable(`the subscription sent no answer within ${String(FIRST_ANSWER_TIMEOUT_MS)} ms`);
          return null;
        }
        this.#pending = null;
        if (result.done === true) throw new LiveUnavailable('the server ended the subscription');
        const snapshot = this.#snapshot(result.value);
        this.#answered = true;
        this.#failures = 0;
        this.#resubscribe = staleRows(snapshot, cursors) >= staleRowLimit(this.#selection);
        return snapshot;
      } catch (error) {
        // The caller's abort, and a run or an answer the client cannot use, end the watch.
        if (!(error instanceof LiveUnavailable) && (error instanceof AbortError || signal.aborted || isRunviewError(error))) throw error;
        await this.#drop(signal);
        this.#failures += 1;
        if (!this.#answered || this.#failures > MAX_RECONNECTS) throw error instanceof LiveUnavailable ? error : new LiveUnavailable(error);
        await delay(Math.min(4000, 250 * 2 ** (this.#failures - 1)), signal);
      }
    }
  }

  #snapshot(answer: Answer): WatchSnapshot {
    if (answer.errors !== undefined && answer.errors.length > 0) throw new LiveUnavailable(answer.errors);
    const row = answer.data?.flow_run_by_pk;
    if (row === undefined) throw new LiveUnavailable('an answer without data');
    const snapshot = snapshotFromResponse(row, this.#selection, 'FlowRunWatchLive');
    // A run that is gone: the poller reports it with the client's error.
    if (snapshot === null) throw new LiveUnavailable('no such flow run');
    return snapshot;
  }

  async #subscribe(cursors: WatchCursors, signal: AbortSignal): Promise<void> {
    await this.#stopAnswers(signal);
    this.#client ??= await this.#connect();
    this.#answers = this.#client.iterate<FlowRunWatchLiveSubscription>({
      query: wireOperation(FlowRunWatchLiveDocument).query,
      variables: { ...watchVariables(this.#flowRunId, cursors, this.#selection) },
    });
    this.#resubscribe = false;
  }

  /** A graphql-ws client (the library and the WebSocket loaded on first use: a polling watch never loads them). */
  async #connect(): Promise<Client> {
    const [{ createClient }, webSocketImpl] = await Promise.all([import('graphql-ws'), this.#connection.webSocketImpl()]);
    if (webSocketImpl === null) throw new LiveUnavailable('no WebSocket implementation: none is global and the ws package could not be loaded');
    return createClient({
      url: this.#connection.url,
      webSocketImpl,
      connectionParams: this.#connection.connectionParams,
      lazy: true,
      // The source re-connects itself, from its current cursors rather than the old variables.
      retryAttempts: 0,
      connectionAckWaitTimeout: ACK_TIMEOUT_MS,
      keepAlive: 10_000,
    });
  }

  /** Ends the current subscription, waiting at most {@link DISPOSE_TIMEOUT_MS} for it. */
  async #stopAnswers(signal?: AbortSignal): Promise<void> {
    const answers = this.#answers;
    this.#answers = null;
    this.#pending = null;
    if (answers?.return) await settled(answers.return(), signal);
  }

  /** Closes the connection, waiting at most {@link DISPOSE_TIMEOUT_MS}: a dead socket never holds the watch. */
  async #drop(signal?: AbortSignal): Promise<void> {
    await this.#stopAnswers(signal);
    const client = this.#client;
    this.#client = null;
    if (client) await settled(Promise.resolve(client.dispose()), signal);
  }

  close(): Promise<void> {
    return this.#drop();
  }
}

/** A snapshot source over a graphql-ws subscription. */
export function liveSource(connection: LiveConnection, flowRunId: string, selection: WatchSelection): SnapshotSource {
  return new LiveSource(connection, flowRunId, selection);
}
