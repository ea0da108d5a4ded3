import { AbortError, iterFlowRunLogs, levelNumber, sleep, watchFlowRun, type FlowRunLog, type LogCursor, type LogFilterOptions } from '@runview/core';
import { useEffect, useRef, useState } from 'react';
import { useDashboardConfig, useRunviewClient } from '../context';

/** Where following a flow run's logs stands. */
export type LogFollowStatus = 'loading' | 'following' | 'complete';

/** How new lines arrive while following: pushed over a subscription, or polled for. */
export type LogTransport = 'live' | 'poll';

export interface LogFollow {
  /** Every line so far, in (timestamp, id) order. The array grows in place; `count` says by how much. */
  readonly lines: readonly FlowRunLog[];
  readonly count: number;
  readonly status: LogFollowStatus;
  readonly transport: LogTransport | null;
  /** The last failed request; following resumes on its own after a pause. */
  readonly error: unknown;
  /** Reload every line from the start. */
  readonly reload: () => void;
}

/** Levels and task run; `levels: []` means no lines at all, no `levels` every line. */
export type LogLineFilter = Pick<LogFilterOptions, 'levels' | 'taskRunId'>;

interface LogFollowOptions {
  readonly flowRunId: string;
  readonly filter: LogLineFilter;
  /** Whether the run is still going: then the newest lines are followed until it ends. */
  readonly live: boolean;
  readonly pageSize?: number;
  /** How long to wait after a failed request before resuming (doubling, up to 30 s). */
  readonly retryMs?: number;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * A flow run's logs: the lines so far with core's keyset iterator (filtered by the server),
 * then, while the run is live, core's watchFlowRun from the last cursor: pushed over a
 * subscription where the server offers one, polled otherwise, until the run ends and its late
 * lines have drained. Lines bypass Apollo's cache: a run can have 100,000 of them.
 */
export function useLogFollower({ flowRunId, filter, live, pageSize = 5000, retryMs = 1500 }: LogFollowOptions): LogFollow {
  const client = useRunviewClient();
  const { apiKey } = useDashboardConfig();
  const liveRef = useRef(live);
  liveRef.current = live;
  const linesRef = useRef<FlowRunLog[]>([]);
  const [count, setCount] = useState(0);
  const [status, setStatus] = useState<LogFollowStatus>('loading');
  const [transport, setTransport] = useState<LogTransport | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [generation, setGeneration] = useState(0);
  const filterKey = JSON.stringify(filter);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    // A function, not a field read: the flag flips while an await is pending.
    const stopped = () => signal.aborted;
    const wanted = JSON.parse(filterKey) as LogLineFilter;
    const lines: FlowRunLog[] = [];
    linesRef.current = lines;
    setCount(0);
    setStatus('loading');
    setTransport(null);
    setError(undefined);
    if (wanted.levels?.length === 0) {
      setStatus('complete');
      return;
    }
    const matches = lineMatcher(wanted);
    let cursor: LogCursor | null = null;
    const publish = () => {
      if (!stopped()) setCount(lines.length);
    };

    /** Reads every line after the cursor, showing each page as it lands. */
    const drain = async () => {
      const iterator = iterFlowRunLogs(client, flowRunId, { after: cursor, pageSize, ...wanted, signal });
      try {
        for await (const line of iterator) {
          lines.push(line);
          if (lines.length % pageSize === 0) publish();
        }
      } finally {
        // Lines handed out before a failure are kept: the next attempt resumes after them.
        cursor = iterator.cursor;
        publish();
      }
    };

    /** Follows the run from the cursor until it ends; true once its late lines have drained. */
    const watch = async (): Promise<boolean> => {
      const watching = watchFlowRun(flowRunId, {
        client,
        signal,
        afterLog: cursor,
        pageSize,
        streamStates: false,
        streamTaskRuns: false,
        live: { apiKey },
      });
      let batch = 0;
      for await (const event of watching) {
        setTransport(watching.transport);
        if (event.type !== 'log') continue;
        // The watch's own cursor carries its window of recent ids, so a reconnect still finds
        // lines that a runner uploads late; the line's cursor alone would skip them.
        cursor = watching.logCursor ?? event.log.cursor;
        if (!matches(event.log)) continue;
        lines.push(event.log);
        batch += 1;
        // Many lines at once (a backlog after a reconnect) render once, not once each.
        queueMicrotask(() => {
          if (batch > 0) {
            batch = 0;
            publish();
          }
        });
      }
      return true;
    };

    const follow = async () => {
      for (let failures = 0; !stopped();) {
        try {
          await drain();
          setError(undefined);
          if (liveRef.current) {
            setStatus('following');
            await watch();
          }
          if (!stopped()) setStatus('complete');
          return;
        } catch (caught) {
          if (stopped() || caught instanceof AbortError) return;
          failures += 1;
          setError(caught);
          // An unmount during the backoff ends the loop (stopped() is then true).
          await sleep(Math.min(MAX_BACKOFF_MS, retryMs * 2 ** failures), signal, 'The log follower was stopped').catch((stop: unknown) => {
            if (!(stop instanceof AbortError)) throw stop;
          });
        }
      }
    };
    void follow();
    return () => {
      controller.abort();
    };
  }, [client, apiKey, flowRunId, filterKey, pageSize, retryMs, generation]);

  return {
    lines: linesRef.current,
    count,
    status,
    transport,
    error,
    reload: () => {
      setGeneration((value) => value + 1);
    },
  };
}

/** The watch streams every line; the panel's filter applies to it as the server's does to pages. */
function lineMatcher({ levels, taskRunId }: LogLineFilter): (line: FlowRunLog) => boolean {
  const levelSet = levels === undefined ? undefined : new Set(levels.map((level) => (typeof level === 'number' ? level : levelNumber(level))));
  return (line) => (levelSet === undefined || levelSet.has(line.level)) && (taskRunId === undefined || line.taskRunId === taskRunId);
}
