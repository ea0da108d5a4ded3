import { useApolloClient } from '@apollo/client/react';
import { AbortError, watchFlowRun } from '@runview/core';
import { FlowRunByIdDocument, FlowRunStatesDocument, MappedTaskRunsDocument, TaskRunStateCountsDocument, TaskRunsTableDocument } from '@runview/documents';
import { useEffect, useRef, useState } from 'react';
import { useDashboardConfig, useRunviewClient } from '../context';

/** How the page learns about changes to a live run. */
export type RunWatchMode = 'live' | 'poll' | 'failed' | null;

/** What a state or task run change can alter on the page (not the flow, not the API's version). */
const RUN_QUERIES = [FlowRunByIdDocument, FlowRunStatesDocument, TaskRunsTableDocument, TaskRunStateCountsDocument, MappedTaskRunsDocument];

/** Changes within this window refresh the page once. */
const REFRESH_COALESCE_MS = 250;

/**
 * Watches a live run's states and task runs with core's watchFlowRun (a subscription where the
 * server offers one, polling otherwise) and refreshes the page's queries when something
 * changed, so the page stays current without each table polling on its own. Returns how the
 * changes arrive; `failed` means the page must poll by itself.
 */
export function useRunWatch(flowRunId: string, live: boolean): RunWatchMode {
  const apollo = useApolloClient();
  const client = useRunviewClient();
  const { apiKey } = useDashboardConfig();
  const [mode, setMode] = useState<RunWatchMode>(null);
  const wasLive = useRef(live);

  // The run just finished: the watch stops with it, so one last look makes every table final.
  useEffect(() => {
    if (wasLive.current && !live) void apollo.refetchQueries({ include: RUN_QUERIES });
    wasLive.current = live;
  }, [apollo, live]);

  useEffect(() => {
    if (!live) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        void apollo.refetchQueries({ include: RUN_QUERIES });
      }, REFRESH_COALESCE_MS);
    };
    const watch = async () => {
      const watching = watchFlowRun(flowRunId, { client, signal: controller.signal, streamLogs: false, live: { apiKey } });
      for await (const _event of watching) {
        setMode(watching.transport);
        refresh();
      }
    };
    watch().catch((error: unknown) => {
      if (!(error instanceof AbortError) && !controller.signal.aborted) setMode('failed');
    });
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [apollo, client, apiKey, flowRunId, live]);

  return live ? mode : null;
}
