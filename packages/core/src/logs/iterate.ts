/**
 * Reading a flow run's logs a page at a time with the `(timestamp, id)` keyset: never
 * `offset`, never the timestamp alone, so lines that share a timestamp are neither lost nor
 * repeated, and page 1,000 costs what page 1 does. At most one page is held in memory.
 */
import { FlowRunLogsFirstPageDocument, FlowRunLogsPageDocument, FlowRunLogsTailDocument, type Log_Bool_Exp } from '@runview/documents';
import { z } from 'zod';
import { requireInteger, requireUuid } from '../arguments.js';
import type { CallOptions, RunviewClient } from '../client/client.js';
import { logsFromResponse } from '../maps/logs.js';
import { parseInput, timestampString, uuidString } from '../schemas.js';
import { buildLogFilter, type LogFilterOptions } from './filter.js';
import type { FlowRunLog, LogCursor } from './flow-run-log.js';

/** The default number of lines per request. */
export const DEFAULT_LOG_PAGE_SIZE = 1000;

/** The largest page a call may ask for. */
export const MAX_LOG_PAGE_SIZE = 10_000;

/** Options of `FlowRunView.iterLogs`. */
export interface IterLogsOptions extends LogFilterOptions, CallOptions {
  /** Resume after this position (a `cursor` saved from an earlier iterator or log line). */
  readonly after?: LogCursor | null | undefined;
  /** Lines per request (default 1,000, at most 10,000). */
  readonly pageSize?: number | undefined;
}

/** Options of `headLogs` / `tailLogs`. */
export interface LogWindowOptions extends LogFilterOptions, CallOptions {}

const cursorSchema = z.object({ timestamp: timestampString, id: uuidString });

/** Checks a cursor given by a caller (it may come from storage or another process). */
export function checkCursor(value: unknown): LogCursor {
  const parsed = parseInput(cursorSchema, value, 'after', 'a log cursor { timestamp, id }');
  return Object.freeze({ timestamp: parsed.timestamp, id: parsed.id.toLowerCase() });
}

/**
 * The lines of one flow run in `(timestamp, id)` order, fetched a page at a time as they are
 * consumed. `cursor` is the position after the last line handed out: store it (it is plain
 * JSON) and pass it as `after` to resume exactly there.
 */
export class FlowRunLogIterator implements AsyncIterable<FlowRunLog> {
  readonly flowRunId: string;
  readonly pageSize: number;
  readonly #client: RunviewClient;
  readonly #filter: Log_Bool_Exp;
  readonly #call: CallOptions;
  #cursor: LogCursor | null;
  #pages = 0;

  /** @internal Use `FlowRunView.iterLogs` or {@link iterFlowRunLogs}. */
  constructor(client: RunviewClient, flowRunId: string, options: IterLogsOptions = {}) {
    this.flowRunId = requireUuid(flowRunId, 'flowRunId');
    this.pageSize = requireInteger(options.pageSize ?? DEFAULT_LOG_PAGE_SIZE, 'pageSize', 1, MAX_LOG_PAGE_SIZE);
    this.#client = client;
    this.#filter = buildLogFilter(options);
    this.#call = { signal: options.signal, timeoutMs: options.timeoutMs };
    this.#cursor = options.after === undefined || options.after === null ? null : checkCursor(options.after);
  }

  /** The position after the last line handed out (or the `after` it started from); null before any. */
  get cursor(): LogCursor | null {
    return this.#cursor;
  }

  /** How many requests this iterator has sent. */
  get pagesFetched(): number {
    return this.#pages;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<FlowRunLog> {
    for (;;) {
      const page = await this.#fetchPage();
      for (const log of page) {
        this.#cursor = log.cursor;
        yield log;
      }
      if (page.length < this.pageSize) return;
    }
  }

  async #fetchPage(): Promise<FlowRunLog[]> {
    this.#pages += 1;
    const cursor = this.#cursor;
    if (cursor === null) {
      const data = await this.#client.query(
        FlowRunLogsFirstPageDocument,
        { flowRunId: this.flowRunId, filter: this.#filter, limit: this.pageSize },
        this.#call,
      );
      return logsFromResponse(data.log, 'FlowRunLogsFirstPage');
    }
    const data = await this.#client.query(
      FlowRunLogsPageDocument,
      { flowRunId: this.flowRunId, afterTimestamp: cursor.timestamp, afterId: cursor.id, filter: this.#filter, limit: this.pageSize },
      this.#call,
    );
    return logsFromResponse(data.log, 'FlowRunLogsPage');
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
