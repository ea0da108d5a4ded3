import { iterFlowRunLogs, type FlowRunLog, type LogCursor, type LogFilterOptions } from '@runview/core';
import { useEffect, useRef, useState } from 'react';
import { useRunviewClient } from '../context';

/** Where following a flow run's logs stands. */
export type LogFollowStatus = 'loading' | 'catching-up' | 'following' | 'complete';

export interface LogFollow {
  /** Every line so far, in (timestamp, id) order. The array grows in place; `count` says by how much. */
  readonly lines: readonly FlowRunLog[];
  readonly count: number;
  readonly status: LogFollowStatus;
  /** The last failed request; following resumes on its own after a pause. */
  readonly error: unknown;
  /** Reload every line from the start. */
  readonly reload: () => void;
}

interface LogFollowOptions {
  readonly flowRunId: string;
  /** Levels and task run; `levels: []` here means no lines at all. */
  readonly filter: Pick<LogFilterOptions, 'levels' | 'taskRunId'>;
  /** While true the newest lines are polled for; once false, a last look and then stop. */
  readonly live: boolean;
  readonly pageSize?: number;
  readonly pollMs?: number;
}

/** Polls after a run finishes before calling its logs complete: late lines still arrive. */
const POLLS_AFTER_FINISH = 2;
const MAX_BACKOFF_MS = 30_000;

/**
 * Reads a flow run's logs with core's keyset iterator, then keeps resuming it from its cursor
 * while the run is live. Lines bypass Apollo's cache: a run can have 100,000 of them and they
 * never change once written.
 */
export function useLogFollower({ flowRunId, filter, live, pageSize = 2000, pollMs = 1500 }: LogFollowOptions): LogFollow {
  const client = useRunviewClient();
  const liveRef = useRef(live);
  liveRef.current = live;
  const linesRef = useRef<FlowRunLog[]>([]);
  const [count, setCount] = useState(0);
  const [status, setStatus] = useState<LogFollowStatus>('loading');
  const [error, setError] = useState<unknown>(undefined);
  const [generation, setGeneration] = useState(0);
  const filterKey = JSON.stringify(filter);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    // A function, not a field read: the flag flips while an await is pending.
    const stopped = () => signal.aborted;
    const { levels, taskRunId } = JSON.parse(filterKey) as LogFollowOptions['filter'];
    const lines: FlowRunLog[] = [];
    linesRef.current = lines;
    setCount(0);
    setStatus('loading');
    setError(undefined);
    if (levels?.length === 0) {
      setStatus('complete');
      return;
    }

    const follow = async () => {
      let cursor: LogCursor | null = null;
      let quietPolls = 0;
      let failures = 0;
      // A run that was already finished needs no grace period for late lines.
      let sawLive = false;
      while (!stopped()) {
        const wasLive = liveRef.current;
        sawLive ||= wasLive;
        const before = lines.length;
        const iterator = iterFlowRunLogs(client, flowRunId, { after: cursor, pageSize, levels, taskRunId, signal });
        try {
          for await (const line of iterator) {
            lines.push(line);
            // Show each page as it lands rather than after the whole backlog.
            if ((lines.length - before) % pageSize === 0) {
              setCount(lines.length);
              setStatus('catching-up');
            }
          }
          if (failures > 0) setError(undefined);
          failures = 0;
        } catch (caught) {
          if (stopped()) return;
          failures += 1;
          setError(caught);
        } finally {
          // Lines handed out before a failure are kept: the next poll resumes after them.
          cursor = iterator.cursor;
          if (!stopped()) setCount(lines.length);
        }
        if (failures > 0) {
          await pause(Math.min(MAX_BACKOFF_MS, pollMs * 2 ** failures), signal);
          continue;
        }
        quietPolls = wasLive ? 0 : quietPolls + 1;
        if (quietPolls >= (sawLive ? POLLS_AFTER_FINISH : 1)) {
          setStatus('complete');
          return;
        }
        // After the run finished, the last looks for late lines are still following.
        setStatus(sawLive ? 'following' : 'catching-up');
        await pause(pollMs, signal);
      }
    };
    void follow();
    return () => { controller.abort(); };
  }, [client, flowRunId, filterKey, pageSize, pollMs, generation]);

  return {
    lines: linesRef.current,
    count,
    status,
    error,
    reload: () => { setGeneration((value) => value + 1); },
  };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
