import { useQuery } from '@apollo/client/react';
import { TaskRunStateCountsDocument, TaskRunsTableDocument } from '@runview/documents';
import { Fragment, useState } from 'react';
import { ErrorNotice, Loading } from '../components/Notices';
import { Pager } from '../components/Pager';
import { StateBadge } from '../components/StateBadge';
import { StateCounts } from '../components/StateCounts';
import { TableHead, type Column } from '../components/TableHead';
import { formatRunDuration, formatTimestamp } from '../format';
import { stateCounts } from '../maps/counts';
import type { LogSource } from '../logs/filter';
import { MappedChildren } from './MappedChildren';
import { childrenOf, PARENTS_ONLY, taskRunLabel, type TaskRunRow } from './taskRuns';

const PAGE_SIZE = 20;
const TASK_COLUMNS: readonly Column[] = [
  { label: 'State' },
  { label: 'Task run' },
  { label: 'Started' },
  { label: 'Duration', numeric: true },
  { label: 'Actions', hidden: true },
];

interface TaskRunTableProps {
  readonly flowRunId: string;
  readonly pollInterval: number;
  readonly now: number;
  readonly onShowLogs: (source: LogSource) => void;
}

/** The flow run's task runs in start order; a mapped task is one row with its children's counts. */
export function TaskRunTable({ flowRunId, pollInterval, now, onShowLogs }: TaskRunTableProps) {
  const [offset, setOffset] = useState(0);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const { data, previousData, error, refetch } = useQuery(TaskRunsTableDocument, {
    variables: { flowRunId, filter: PARENTS_ONLY, limit: PAGE_SIZE, offset },
    pollInterval,
  });
  const counts = useQuery(TaskRunStateCountsDocument, { variables: { flowRunId }, pollInterval });
  const shown = data ?? previousData;
  const all = counts.data ? stateCounts(counts.data) : undefined;

  const toggle = (id: string) => {
    const next = new Set(expanded);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setExpanded(next);
  };

  let body;
  if (!shown) {
    body = error ? <ErrorNotice error={error} what="task runs" onRetry={() => void refetch()} /> : <Loading what="task runs" />;
  } else if (shown.task_run.length === 0) {
    body = <p className="muted">No task runs yet. They appear once the flow run starts its tasks.</p>;
  } else {
    body = (
      <div className="table-wrap">
        <table className="table table--compact">
          <caption className="visually-hidden">Task runs, in the order they started</caption>
          <TableHead columns={TASK_COLUMNS} />
          <tbody>
            {shown.task_run.map((run) => (
              <Fragment key={run.id}>
                <TaskRunTableRow
                  run={run}
                  now={now}
                  pollInterval={pollInterval}
                  expanded={expanded.has(run.id)}
                  onToggle={() => { toggle(run.id); }}
                  onShowLogs={onShowLogs}
                />
                {run.task.mapped && expanded.has(run.id) && run.task.slug !== null && (
                  <tr className="row-children">
                    <td colSpan={5}>
                      <MappedChildren flowRunId={flowRunId} parent={run} slug={run.task.slug} pollInterval={pollInterval} now={now} onShowLogs={onShowLogs} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  const parents = shown?.task_run_aggregate.aggregate?.count ?? 0;
  return (
    <section className="card" aria-labelledby="task-runs-title">
      <header className="card__header">
        <h2 id="task-runs-title">Task runs</h2>
        {all && (
          <span className="task-summary">
            <span className="muted" data-testid="task-run-total">
              {all.total} {all.total === 1 ? 'task run' : 'task runs'}
            </span>{' '}
            <StateCounts counts={all.counts} total={all.total} />
          </span>
        )}
      </header>
      {error && shown && <ErrorNotice error={error} what="the latest task runs" onRetry={() => void refetch()} />}
      {body}
      {parents > PAGE_SIZE && <Pager offset={offset} limit={PAGE_SIZE} total={parents} onChange={setOffset} label="task runs" />}
    </section>
  );
}

interface RowProps {
  readonly run: TaskRunRow;
  readonly now: number;
  readonly pollInterval: number;
  readonly expanded: boolean;
  readonly onToggle: () => void;
  readonly onShowLogs: (source: LogSource) => void;
}

function TaskRunTableRow({ run, now, pollInterval, expanded, onToggle, onShowLogs }: RowProps) {
  const label = taskRunLabel(run);
  return (
    <tr>
      <td>
        <StateBadge state={run.state} message={run.state_message} />
      </td>
      <th scope="row" className="cell-name">
        <span className="task-name">{label}</span>
        {run.task.slug !== null && run.task.slug !== label && <span className="muted mono task-slug"> {run.task.slug}</span>}
        {run.task.mapped && <MappedSummary flowRunId={run.flow_run_id} taskId={run.task_id} pollInterval={pollInterval} />}
        {run.state_message && <div className="muted cell-message">{run.state_message}</div>}
      </th>
      <td className="nowrap">{formatTimestamp(run.start_time)}</td>
      <td className="num nowrap">{formatRunDuration(run.start_time, run.end_time, now)}</td>
      <td className="nowrap actions">
        {run.task.mapped && run.task.slug !== null && (
          <button type="button" className="button button--small" aria-expanded={expanded} onClick={onToggle}>
            {expanded ? 'Hide mapped runs' : 'Show mapped runs'}
          </button>
        )}
        <button
          type="button"
          className="button button--small"
          onClick={() => { onShowLogs({ kind: 'task', taskRunId: run.id, label }); }}
          aria-label={`Show logs of ${label}`}
        >
          Logs
        </button>
      </td>
    </tr>
  );
}

/** A mapped task's children, counted by state without fetching them. */
function MappedSummary({ flowRunId, taskId, pollInterval }: { readonly flowRunId: string; readonly taskId: string; readonly pollInterval: number }) {
  const { data } = useQuery(TaskRunStateCountsDocument, { variables: { flowRunId, filter: childrenOf(taskId) }, pollInterval });
  if (!data) return null;
  const { total, counts } = stateCounts(data);
  return (
    <div className="mapped-summary">
      <span className="muted">{total} mapped {total === 1 ? 'run' : 'runs'}:</span> <StateCounts counts={counts} total={total} />
    </div>
  );
}
