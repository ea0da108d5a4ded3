import { useQuery } from '@apollo/client/react';
import { TaskRunsTableDocument } from '@runview/documents';
import { useMemo } from 'react';
import type { TaskOption } from '../logs/LogPanel';
import { PARENTS_ONLY, taskRunLabel } from './taskRuns';

/** More top-level tasks than this and the log filter lists the first ones only. */
const MAX_OPTIONS = 500;

/** The task runs a person can narrow the log panel to (mapped children are picked from their table). */
export function useTaskOptions(flowRunId: string, pollInterval: number): TaskOption[] {
  const { data, previousData } = useQuery(TaskRunsTableDocument, {
    variables: { flowRunId, filter: PARENTS_ONLY, limit: MAX_OPTIONS },
    pollInterval,
  });
  const shown = data ?? previousData;
  return useMemo(
    () => (shown?.task_run ?? []).map((run) => ({ taskRunId: run.id, label: taskRunLabel(run) })).sort((a, b) => a.label.localeCompare(b.label)),
    [shown],
  );
}
