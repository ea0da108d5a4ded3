/**
 * Reading a flow run's logs a page at a time with the `(timestamp, id)` keyset: never
 * `offset`, never the timestamp alone, so lines that share a timestamp are neither lost nor
 * repeated, and page 1,000 costs what page 1 does. At most one page is held in memory.
 *
 * Lines may land late, behind lines already read (see `overlap.ts`): each pass starts a window
 * behind the newest line handed out and skips what it handed out there, so resuming from a
 * cursor delivers the late lines once and repeats none.
 */
import { FlowRunLogsFirstPageDocument, FlowRunLogsPageDocument, FlowRunLogsTailDocument, type Log_Bool_Exp } from '@runview/documents';
import { requireInteger, requireUuid } from '../arguments.js';
import type { CallOptions, RunviewClient } from '../client/client.js';
import { logsFromResponse } from '../maps/logs.js';
import { cursorKey, type HistoryPosition, type LogCursor } from './cursor.js';
import { buildLogFilter, type LogFilterOptions } from './filter.js';
import type { FlowRunLog } from './flow-run-log.js';
import { LogOverlap, overlapSettings, type LateLogOptions } from './overlap.js';
import { checkPageOrder } from './page-order.js';

/** The default number of lines per request. */
export const DEFAULT_LOG_PAGE_SIZE = 1000;

/** The largest page a call may ask for. */
export const MAX_LOG_PAGE_SIZE = 10_000;

/** Options of `FlowRunView.iterLogs`. */
export interface IterLogsOptions extends LogFilterOptions, LateLogOptions, CallOptions {
  /**
   * Resume from this cursor: an iterator's `cursor` (it also takes in the lines that landed
   * late behind it), or a line's own `cursor` (every line after that line).
   */
  readonly after?: LogCursor | null | undefined;
  /** Lines per request (default 1,000, at most 10,000). */
  readonly pageSize?: number | undefined;
}

/** Options of `headLogs` / `tailLogs`. */
export interface LogWindowOptions extends LogFilterOptions, CallOptions {}

/**
 * The lines of one flow run in `(timestamp, id)` order, fetched a page at a time as they are
 * consumed; a line that lands late, behind lines already handed out, comes when a later pass
 * finds it. `cursor` is where the iterator stands: store it (it is plain JSON) and pass it as
 * `after` to resume there, with nothing lost or repeated. Iterating the iterator again starts
 * another pass from its cursor.
 */
export class FlowRunLogIterator implements AsyncIterable<FlowRunLog> {
  readonly flowRunId: string;
  readonly pageSize: number;
  readonly #client: RunviewClient;
  readonly #filter: Log_Bool_Exp;
  readonly #call: CallOptions;
  readonly #overlap: LogOverlap;
  #pages = 0;

  /** @internal Use `FlowRunView.iterLogs` or {@link iterFlowRunLogs}. */
  constructor(client: RunviewClient, flowRunId: string, options: IterLogsOptions = {}) {
    this.flowRunId = requireUuid(flowRunId, 'flowRunId');
    this.pageSize = requireInteger(options.pageSize ?? DEFAULT_LOG_PAGE_SIZE, 'pageSize', 1, MAX_LOG_PAGE_SIZE);
    this.#client = client;
    this.#filter = buildLogFilter(options);
    this.#call = { signal: options.signal, timeoutMs: options.timeoutMs };
    this.#overlap = new LogOverlap(options.after ?? null, overlapSettings(options));
  }

  /** Where the iterator stands (a version 2 cursor), or null before any line (and without `after`). */
  get cursor(): LogCursor | null {
    return this.#overlap.cursor;
  }

  /** How many requests this iterator has sent. */
  get pagesFetched(): number {
    return this.#pages;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<FlowRunLog> {
    // A pass starts at the floor, behind the newest line handed out: late lines come now.
    let after = this.#overlap.floor;
    for (;;) {
      const page = await this.#fetchPage(after);
      for (const log of page) {
        if (this.#overlap.has(log)) continue;
        this.#overlap.take(log);
        yield log;
      }
      if (page.length < this.pageSize) {
        this.#overlap.endPass();
        return;
      }
      const last = page.at(-1);
      if (last !== undefined) after = { timestamp: last.timestampRaw, id: last.id };
    }
  }

  async #fetchPage(after: HistoryPosition | null): Promise<FlowRunLog[]> {
    this.#pages += 1;
    if (after === null) {
      const data = await this.#client.query(
        FlowRunLogsFirstPageDocument,
        { flowRunId: this.flowRunId, filter: this.#filter, limit: this.pageSize },
        this.#call,
      );
      const logs = logsFromResponse(data.log, 'FlowRunLogsFirstPage');
      checkPageOrder(logs, null, 'FlowRunLogsFirstPage');
      return logs;
    }
    const data = await this.#client.query(
      FlowRunLogsPageDocument,
      { flowRunId: this.flowRunId, afterTimestamp: after.timestamp, afterId: after.id, filter: this.#filter, limit: this.pageSize },
      this.#call,
    );
    const logs = logsFromResponse(data.log, 'FlowRunLogsPage');
    checkPageOrder(logs, cursorKey(after), 'FlowRunLogsPage');
    return logs;
  }
}

/** Iterates a flow run's logs (see {@link FlowRunLogIterator}). */
export function iterFlowRunLogs(client: RunviewClient, flowRunId: string, options: IterLogsOptions = {}): FlowRunLogIterator {
  return new FlowRunLogIterator(client, flowRunId, options);
}

/** The first `n` lines of a flow run, in order. */
export async function headFlowRunLogs(client: RunviewClient, flowRunId: string, n: number, options: LogWindowOptions = {}): Promise<FlowRunLog[]> {
  const count = requireInteger(n, 'n', 0);
  const logs: FlowRunLog[] = [];
  if (count === 0) return logs;
  const iterator = new FlowRunLogIterator(client, flowRunId, { ...options, pageSize: Math.min(count, DEFAULT_LOG_PAGE_SIZE) });
  for await (const log of iterator) {
    logs.push(log);
    if (logs.length === count) break;
  }
  return logs;
}

/** The newest `n` lines of a flow run, oldest first, in one request. */
export async function tailFlowRunLogs(client: RunviewClient, flowRunId: string, n: number, options: LogWindowOptions = {}): Promise<FlowRunLog[]> {
  const id = requireUuid(flowRunId, 'flowRunId');
  const count = requireInteger(n, 'n', 0, MAX_LOG_PAGE_SIZE);
  if (count === 0) return [];
  const data = await client.query(
    FlowRunLogsTailDocument,
    { flowRunId: id, filter: buildLogFilter(options), limit: count },
    { signal: options.signal, timeoutMs: options.timeoutMs },
  );
  return logsFromResponse(data.log, 'FlowRunLogsTail').reverse();
}
