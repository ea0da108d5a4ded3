/**
 * `watchFlowRun`: follow a flow run until it finishes, as Prefect's `watch_flow_run` does, but
 * typed, gap-free and cancellable. Yields the run's states (its history first), its log lines
 * and its task runs' state changes, each once, in `(timestamp, kind, id)` order, plus Prefect's
 * agent warnings while nothing picks the run up. It ends once the run is finished and the logs
 * that land after the final state have drained, and returns what its caller makes of the run's
 * last reading (`watchFlowRun` and `FlowRunView.watch`: the final `FlowRunView`).
 *
 * Snapshots come from a live subscription where the server offers one and a WebSocket is at
 * hand, from polling otherwise (every 2 s, as Prefect); both feed the same merger, so both
 * yield the same sequence.
 */
import { requireInteger, requireUuid } from '../arguments.js';
import type { RunviewClient } from '../client/client.js';
import { clock } from '../clock.js';
import { AbortError, InvalidArgumentError, TimeoutError } from '../errors.js';
import { liveSource, LiveUnavailable } from '../live/source.js';
import { liveConnection, serverOffersSubscriptions, type LiveOptions } from '../live/transport.js';
import { checkCursor, cursorKey, type HistoryPosition, type LogCursor } from '../logs/cursor.js';
import { DEFAULT_LOG_PAGE_SIZE, MAX_LOG_PAGE_SIZE } from '../logs/iterate.js';
import { overlapSettings, type LateLogOptions, type OverlapSettings } from '../logs/overlap.js';
import { requireDuration } from '../timers.js';
import type { FlowRunData } from '../views/flow-run-columns.js';
import { clientOf } from '../views/common.js';
import { checkForCompatibleAgents } from './agents.js';
import type { WatchEvent } from './events.js';
import { EventMerger, type LogReadStart } from './merge.js';
import type { WatchSelection, WatchSnapshot } from './snapshot.js';
import { pollingSource, readSnapshot, type SnapshotSource } from './source.js';

/** Prefect's poll interval. */
export const DEFAULT_POLL_INTERVAL_MS = 2000;

/** How long logs are still read after the final state (they can land after it). */
export const DEFAULT_DRAIN_MS = 3000;

/** Prefect's agent warning: first after 15 s without an agent, then every 30 s. */
const AGENT_WARNING_AFTER_MS = 15_000;
const AGENT_WARNING_EVERY_MS = 30_000;

/** Options of `watchFlowRun` and `FlowRunView.watch`. */
export interface WatchOptions extends LateLogOptions {
  /** The client to use (default: the shared one). */
  readonly client?: RunviewClient | undefined;
  /** Stops the watch: the iterator throws an {@link AbortError}. */
  readonly signal?: AbortSignal | undefined;
  /** Gives up after this many milliseconds with a {@link TimeoutError} naming the run's state. */
  readonly timeoutMs?: number | undefined;
  /** How often to poll (default 2,000 ms, as Prefect); in live mode, how long a quiet spell lasts. */
  readonly pollIntervalMs?: number | undefined;
  /** Yield the run's states (default true). */
  readonly streamStates?: boolean | undefined;
  /** Yield its log lines (default true). */
  readonly streamLogs?: boolean | undefined;
  /** Yield its task runs' state changes (default true). */
  readonly streamTaskRuns?: boolean | undefined;
  /** How long to keep reading logs after the final state (default 3,000 ms). */
  readonly drainMs?: number | undefined;
  /** Log lines per request (default 1,000). */
  readonly pageSize?: number | undefined;
  /**
   * Start the log lines from this cursor: a watch's or an iterator's `cursor` (it also takes in
   * the lines that landed late behind it), or a line's own `cursor`. States and task runs
   * still start at the beginning.
   */
  readonly afterLog?: LogCursor | null | undefined;
  /**
   * The live transport: options for the WebSocket, or `false` to always poll. By default the
   * watcher subscribes when the server advertises a subscription root and a global
   * `WebSocket` exists.
   */
  readonly live?: LiveOptions | false | undefined;
}

function samePosition(a: HistoryPosition | null, b: HistoryPosition | null): boolean {
  return a === b || (a !== null && b !== null && a.timestamp === b.timestamp && a.id === b.id);
}

/** When a live watch last read from the log floor, and whether it must again. */
interface LivePasses {
  /** When the last pass from the floor started (the clock's `now()`). */
  startedAt: number;
  /** Something was pushed since then: lines may have landed behind the newest one. */
  changed: boolean;
  /** A pass from the floor is needed now (the watch is about to end). */
  due: boolean;
  /** The newest line handed out when the last pass from the floor started (epoch microseconds). */
  newestAtStart: bigint | null;
}

/** Why the internal controller stopped. */
const TIMED_OUT = Symbol('timed out');

function positive(value: number | undefined, fallback: number, argument: string): number {
  return value === undefined ? fallback : requireDuration(value, argument, true);
}

/**
 * Makes a watch's result from the run as last read. The watch is given it, rather than building
 * a `FlowRunView` itself, because the view starts watches: each module then imports only the
 * one below it.
 */
export type FinishWatch<Final> = (flowRun: FlowRunData, client: RunviewClient) => Final;

/**
 * A running watch: iterate it (once) for the events; `result` resolves with the final
 * view (`FlowRunWatch<FlowRunView>` from `watchFlowRun` and `FlowRunView.watch`; the
 * iterator's return value too), or rejects with what ended the watch.
 */
export class FlowRunWatch<Final> implements AsyncIterable<WatchEvent> {
  readonly flowRunId: string;
  /** The final view, once the run has finished and its logs have drained. */
  readonly result: Promise<Final>;
  /** How the snapshots arrive: `live` or `poll` (null before the first). */
  transport: 'live' | 'poll' | null = null;
  readonly #options: WatchOptions;
  readonly #client: RunviewClient;
  readonly #finish: FinishWatch<Final>;
  readonly #lateLogs: OverlapSettings;
  /** How far, in log time, pushes may move the newest line on before a pass from the floor: a third of the window. */
  get #passSpanMicros(): bigint {
    return BigInt(Math.round((this.#lateLogs.windowMs * 1000) / 3));
  }
  #merger: EventMerger | null = null;
  #started = false;
  #settle!: { resolve: (view: Final) => void; reject: (error: unknown) => void };

  /** @internal Use `watchFlowRun` or `FlowRunView.watch`. */
  constructor(flowRunId: string, options: WatchOptions, finish: FinishWatch<Final>) {
    this.flowRunId = requireUuid(flowRunId, 'flowRunId');
    this.#options = options;
    this.#client = clientOf(options);
    this.#finish = finish;
    positive(options.timeoutMs, 0, 'timeoutMs');
    positive(options.pollIntervalMs, 0, 'pollIntervalMs');
    positive(options.drainMs, 0, 'drainMs');
    requireInteger(options.pageSize ?? DEFAULT_LOG_PAGE_SIZE, 'pageSize', 1, MAX_LOG_PAGE_SIZE);
    if (options.afterLog !== undefined && options.afterLog !== null) checkCursor(options.afterLog, 'afterLog');
    this.#lateLogs = overlapSettings(options);
    this.result = new Promise<Final>((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    // Whoever only iterates must not get an unhandled rejection from `result`.
    this.result.catch(() => undefined);
  }

  /**
   * Where the log lines handed out so far end (a version 2 cursor): pass it as `afterLog` to a
   * new watch, or as `after` to `iterLogs`, to go on with nothing lost or repeated. Null before
   * the first line (and without `afterLog`).
   */
  get logCursor(): LogCursor | null {
    if (this.#merger !== null) return this.#merger.logCursor;
    return this.#options.afterLog ?? null;
  }

  [Symbol.asyncIterator](): AsyncGenerator<WatchEvent, Final, undefined> {
    if (this.#started) throw new InvalidArgumentError('watch', 'A watch can be iterated once; start another with watchFlowRun');
    this.#started = true;
    return this.#run();
  }

  async *#run(): AsyncGenerator<WatchEvent, Final, undefined> {
    const options = this.#options;
    const pollIntervalMs = positive(options.pollIntervalMs, DEFAULT_POLL_INTERVAL_MS, 'pollIntervalMs');
    const drainMs = positive(options.drainMs, DEFAULT_DRAIN_MS, 'drainMs');
    const streamStates = options.streamStates ?? true;
    const selection = {
      withLogs: options.streamLogs ?? true,
      withTaskRuns: options.streamTaskRuns ?? true,
      logLimit: options.pageSize ?? DEFAULT_LOG_PAGE_SIZE,
    };
    const merger = new EventMerger(
      this.#client,
      { streamStates, streamLogs: selection.withLogs, streamTaskRuns: selection.withTaskRuns },
      options.afterLog ?? null,
      this.#lateLogs,
    );
    this.#merger = merger;
    const stop = new AbortController();
    const onAbort = (): void => {
      stop.abort(options.signal?.reason);
    };
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const cancelTimeout =
      options.timeoutMs === undefined
        ? undefined
        : clock().after(options.timeoutMs, () => {
            stop.abort(TIMED_OUT);
          });
    const startedAt = clock().now();
    let latest: WatchSnapshot | null = null;
    let source: SnapshotSource | null = null;
    let lastWarningAt: number | null = null;
    let drainUntil: number | null = null;
    let completed = false;
    const passes: LivePasses = { startedAt: Number.NEGATIVE_INFINITY, changed: true, due: false, newestAtStart: null };
    // A pass over the log history is several reads when pages come back full, and a line that
    // lands behind the page being read between two of them is not in that pass (a later pass
    // finds it). So the watch ends only after a pass whose first read was issued once the run
    // had finished and drained: every line committed by then is in it, whatever pushes came.
    let reads = 0;
    let passBeganAt = 0;
    let lastPassBeganAt = 0;
    let drainedAt: number | null = null;
    try {
      source = await this.#openSource(selection, stop.signal);
      this.transport = source.kind;
      for (let first = true; ; first = false) {
        const now = clock().now();
        const untilDrained: number = drainUntil === null ? pollIntervalMs : Math.max(0, drainUntil - now);
        const waitMs: number = first || merger.behind ? 0 : Math.min(pollIntervalMs, untilDrained);
        let read: { snapshot: WatchSnapshot | null; start: LogReadStart };
        reads += 1;
        const readNumber = reads;
        try {
          read = await this.#read(source, merger, passes, { waitMs, pollIntervalMs, selection }, stop.signal);
        } catch (error) {
          if (!(error instanceof LiveUnavailable)) throw error;
          // The live transport is gone for good: poll from the same cursors.
          await source.close();
          source = pollingSource(this.#client, this.flowRunId, selection);
          this.transport = source.kind;
          continue;
        }
        const { snapshot } = read;
        if (snapshot !== null) {
          if (!merger.behind) passBeganAt = readNumber;
          merger.ingest(snapshot, read.start);
          if (!merger.behind) lastPassBeganAt = passBeganAt;
          latest = snapshot;
        }
        if (latest === null) continue;
        for (const event of merger.release()) {
          merger.handOut(event);
          yield event;
        }
        const state = latest.flowRun.state;
        if (state.isFinished()) {
          if (drainUntil === null) {
            // A run that finished longer ago than the drain has nothing late left to wait for.
            const finishedAgo: number = clock().now() - (latest.states.at(-1)?.at.date.getTime() ?? 0);
            drainUntil = finishedAgo >= drainMs ? clock().now() : clock().now() + drainMs;
            // A pass that was this one read (one statement) already holds every line committed before it.
            if (finishedAgo >= drainMs && lastPassBeganAt === readNumber) drainedAt = readNumber - 1;
          }
          if (clock().now() >= drainUntil && !merger.behind) drainedAt ??= reads;
          // The last pass must have started at the floor (it took in the lines that landed
          // late), with a read issued after the drain.
          const complete = (source.kind === 'poll' || merger.lastPass === 'floor') && drainedAt !== null && lastPassBeganAt > drainedAt;
          if (clock().now() >= drainUntil && !merger.behind && !complete) passes.due = true;
          if (clock().now() >= drainUntil && !merger.behind && complete) {
            for (const event of merger.release(true)) {
              merger.handOut(event);
              yield event;
            }
            completed = true;
            const view = this.#finish(latest.flowRun, this.#client);
            this.#settle.resolve(view);
            return view;
          }
        } else {
          drainUntil = null;
          drainedAt = null;
          const elapsed = clock().now() - startedAt;
          const waiting = !(state.isSubmitted() || state.isRunning());
          if (
            streamStates &&
            waiting &&
            elapsed >= AGENT_WARNING_AFTER_MS &&
            (lastWarningAt === null || clock().now() - lastWarningAt > AGENT_WARNING_EVERY_MS)
          ) {
            lastWarningAt = clock().now();
            yield { type: 'warning', message: await this.#agentWarning(elapsed, latest.flowRun.labels, stop.signal), timestamp: new Date(clock().now()) };
          }
        }
      }
    } catch (error) {
      throw this.#failure(error, stop.signal, latest);
    } finally {
      cancelTimeout?.();
      options.signal?.removeEventListener('abort', onAbort);
      if (!stop.signal.aborted) stop.abort(new AbortError('The watch ended'));
      await source?.close();
      if (!completed) this.#settle.reject(new AbortError('The watch was stopped before the flow run finished'));
    }
  }

  /**
   * The next snapshot and where its log lines start. A poller reads every pass from the floor.
   * A live source answers from after the newest line (a live query keeps the variables it was
   * opened with); a pass from the floor, by query, follows a change within a poll interval, and
   * the rest of a full page is read by query too.
   */
  async #read(
    source: SnapshotSource,
    merger: EventMerger,
    passes: LivePasses,
    timing: { waitMs: number; pollIntervalMs: number; selection: WatchSelection },
    signal: AbortSignal,
  ): Promise<{ snapshot: WatchSnapshot | null; start: LogReadStart }> {
    const { waitMs, pollIntervalMs, selection } = timing;
    if (source.kind === 'poll') return { snapshot: await source.next(merger.cursors('floor'), waitMs, signal), start: 'floor' };
    if (merger.behind) {
      const start = merger.passStart;
      return { snapshot: await readSnapshot(this.#client, this.flowRunId, merger.cursors(start), selection, signal), start };
    }
    const floor = merger.cursors('floor');
    const newest = merger.cursors('newest');
    // Nothing handed out above the floor: an answer from the newest line is a pass from the floor.
    const whole = samePosition(floor.log, newest.log);
    const untilPass = passes.startedAt + pollIntervalMs - clock().now();
    // Pushes move the newest line on, and the floor with it: a pass from the floor must come
    // before the floor passes lines that landed late behind the last such pass, however fast
    // log time runs against the poll interval.
    const newestMicros = cursorKey(newest.log)?.micros ?? null;
    const outrun = newestMicros !== null && (passes.newestAtStart === null || newestMicros - passes.newestAtStart >= this.#passSpanMicros);
    if (passes.due || (!whole && (outrun || (passes.changed && untilPass <= 0)))) {
      passes.newestAtStart = newestMicros;
      passes.startedAt = clock().now();
      passes.changed = false;
      passes.due = false;
      return { snapshot: await readSnapshot(this.#client, this.flowRunId, floor, selection, signal), start: 'floor' };
    }
    const snapshot = await source.next(newest, !whole && passes.changed ? Math.min(waitMs, Math.max(0, untilPass)) : waitMs, signal);
    if (snapshot !== null && whole) {
      passes.startedAt = clock().now();
      passes.newestAtStart = cursorKey(merger.cursors('newest').log)?.micros ?? null;
    }
    if (snapshot !== null) passes.changed = !whole;
    return { snapshot, start: whole ? 'floor' : 'newest' };
  }

  async #openSource(selection: { withLogs: boolean; withTaskRuns: boolean; logLimit: number }, signal: AbortSignal): Promise<SnapshotSource> {
    const live = this.#options.live;
    if (live !== false) {
      const connection = liveConnection(this.#client, live ?? {});
      if (connection !== null && (await serverOffersSubscriptions(this.#client, { signal }))) return liveSource(connection, this.flowRunId, selection);
    }
    return pollingSource(this.#client, this.flowRunId, selection);
  }

  async #agentWarning(elapsedMs: number, labels: readonly string[], signal: AbortSignal): Promise<string> {
    const seconds = Math.round(elapsedMs / 5000) * 5;
    const lead = `It has been ${seconds} seconds and your flow run has not been submitted by an agent.`;
    try {
      return `${lead} ${await checkForCompatibleAgents(labels, { client: this.#client, signal })}`;
    } catch (error) {
      if (signal.aborted) throw error;
      // An API that does not let this caller read agents still gets Prefect's warning.
      return lead;
    }
  }

  #failure(error: unknown, signal: AbortSignal, latest: WatchSnapshot | null): unknown {
    if (!signal.aborted) {
      this.#settle.reject(error);
      return error;
    }
    let failure: unknown = error;
    if (signal.reason === TIMED_OUT) {
      const state = latest === null ? 'unknown (no answer yet)' : latest.flowRun.state.toString();
      failure = new TimeoutError(`Watching flow run ${this.flowRunId} timed out after ${String(this.#options.timeoutMs)} ms; it is still in state ${state}`, {
        timeoutMs: this.#options.timeoutMs ?? 0,
        cause: error,
      });
    } else if (!(error instanceof AbortError)) {
      failure = new AbortError(`Watching flow run ${this.flowRunId} was aborted`, { cause: signal.reason });
    }
    this.#settle.reject(failure);
    return failure;
  }
}
