import { useApolloClient } from '@apollo/client/react';
import {
  FlowRunLogsFirstPageDocument,
  FlowRunLogsPageDocument,
  type FlowRunLogsFirstPageQuery,
  type Log_Bool_Exp,
} from '@runview/documents';
import { useEffect, useRef, useState } from 'react';

/** One log line as the log documents return it. */
export type LogLine = FlowRunLogsFirstPageQuery['log'][number];

/** Where following a flow run's logs stands. */
export type LogFollowStatus = 'loading' | 'catching-up' | 'following' | 'complete';

export interface LogFollow {
  /** Every line so far, in (timestamp, id) order. The array grows in place; `count` says by how much. */
  readonly lines: readonly LogLine[];
  readonly count: number;
  readonly status: LogFollowStatus;
  /** The last failed request; following resumes on its own after a pause. */
  readonly error: unknown;
  /** Reload every line from the start. */
  readonly reload: () => void;
}

interface LogFollowOptions {
  readonly flowRunId: string;
  readonly filter: Log_Bool_Exp;
  /** While true the newest lines are polled for; once false, a last look and then stop. */
  readonly live: boolean;
  readonly pageSize?: number;
  readonly pollMs?: number;
}

/** Polls after a run finishes before calling its logs complete: late lines still arrive. */
const POLLS_AFTER_FINISH = 2;
const MAX_BACKOFF_MS = 30_000;

/**
 * Reads a flow run's logs page by page on the (timestamp, id) keyset, then keeps asking for
 * lines after the last one while the run is live. Lines bypass Apollo's cache: a run can have
 * 100,000 of them and they never change once written.
 */
export function useLogFollower({ flowRunId, filter, live, pageSize = 2000, pollMs = 1500 }: LogFollowOptions): LogFollow {
  const client = useApolloClient();
  const liveRef = useRef(live);
  liveRef.current = live;
  const linesRef = useRef<LogLine[]>([]);
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
    const where = JSON.parse(filterKey) as Log_Bool_Exp;
    const lines: LogLine[] = [];
    linesRef.current = lines;
    setCount(0);
    setStatus('loading');
    setError(undefined);

    const fetchPage = async (after: LogLine | undefined): Promise<LogLine[]> => {
      const context = { fetchOptions: { signal } };
      if (after === undefined) {
        const result = await client.query({
          query: FlowRunLogsFirstPageDocument,
          variables: { flowRunId, filter: where, limit: pageSize },
          fetchPolicy: 'no-cache',
          context,
        });
        return result.data?.log ?? [];
      }
      const result = await client.query({
        query: FlowRunLogsPageDocument,
        variables: { flowRunId, filter: where, limit: pageSize, afterTimestamp: after.timestamp, afterId: after.id },
        fetchPolicy: 'no-cache',
        context,
      });
      return result.data?.log ?? [];
    };

    const follow = async () => {
      let quietPolls = 0;
      let failures = 0;
      // A run that was already finished needs no grace period for late lines.
      let sawLive = false;
      while (!stopped()) {
        const wasLive = liveRef.current;
        sawLive ||= wasLive;
        let page: LogLine[];
        try {
          page = await fetchPage(lines.at(-1));
        } catch (caught) {
          if (stopped()) return;
          failures += 1;
          setError(caught);
          await pause(Math.min(MAX_BACKOFF_MS, pollMs * 2 ** failures), signal);
          continue;
        }
        if (stopped()) return;
        if (failures > 0) setError(undefined);
        failures = 0;
        if (page.length > 0) {
          for (const line of page) lines.push(line);
          setCount(lines.length);
        }
        if (page.length === pageSize) {
          setStatus('catching-up');
          continue;
        }
        quietPolls = wasLive ? 0 : quietPolls + 1;
        if (quietPolls >= (sawLive ? POLLS_AFTER_FINISH : 1)) {
          setStatus('complete');
          return;
        }
        setStatus(wasLive ? 'following' : 'catching-up');
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
