import { skipToken, useQuery } from '@apollo/client/react';
import { TaskRunStateCountsDocument, TaskRunsTableDocument } from '@runview/documents';
import { useState } from 'react';
import { ErrorNotice, Loading } from '../components/Notices';
import { Pager } from '../components/Pager';
import { StateBadge } from '../components/StateBadge';
import { StateCounts } from '../components/StateCounts';
import { TableHead, type Column } from '../components/TableHead';
import { formatRunDuration, formatTimestamp } from '../format';
import { stateCounts } from '../maps/counts';
import type { LogSource } from '../maps/logs';
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
  const { data, previousData, error, refetch } = useQuery(TaskRunsTableDocument, {
    variables: { flowRunId, filter: PARENTS_ONLY, limit: PAGE_SIZE, offset },
    pollInterval,
  });
  const counts = useQuery(TaskRunStateCountsDocument, { variables: { flowRunId }, pollInterval });
  const shown = data ?? previousData;
  const all = counts.data ? stateCounts(counts.data) : undefined;

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
              <TaskRunTableRow key={run.id} run={run} now={now} pollInterval={pollInterval} onShowLogs={onShowLogs} />
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
  readonly onShowLogs: (source: LogSource) => void;
}

/** A task run, and for a mapped parent its children: counted by state, listed on demand. */
function TaskRunTableRow({ run, now, pollInterval, onShowLogs }: RowProps) {
  const [expanded, setExpanded] = useState(false);
  const children = useQuery(
    TaskRunStateCountsDocument,
    run.task.mapped ? { variables: { flowRunId: run.flow_run_id, filter: childrenOf(run.task_id) }, pollInterval } : skipToken,
  );
  const mapped = children.data ? stateCounts(children.data) : undefined;
  // A mapped task that has not mapped yet (or never will, upstream failed) has no children.
  const hasChildren = mapped !== undefined && mapped.total > 0 && run.task.slug !== null;
  const label = taskRunLabel(run);
  return (
    <>
      <tr>
        <td>
          <StateBadge state={run.state} message={run.state_message} />
        </td>
        <th scope="row" className="cell-name">
          <span className="task-name">{label}</span>
          {run.task.slug !== null && run.task.slug !== label && <span className="muted mono task-slug"> {run.task.slug}</span>}
          {hasChildren && (
            <div className="mapped-summary">
              <span className="muted">
                {mapped.total} mapped {mapped.total === 1 ? 'run' : 'runs'}:
              </span>{' '}
              <StateCounts counts={mapped.counts} total={mapped.total} />
            </div>
          )}
          {run.state_message && <div className="muted cell-message">{run.state_message}</div>}
        </th>
        <td className="nowrap">{formatTimestamp(run.start_time)}</td>
        <td className="num nowrap">{formatRunDuration(run.start_time, run.end_time, now)}</td>
        <td className="nowrap actions">
          {hasChildren && (
            <button
              type="button"
              className="button button--small"
              aria-expanded={expanded}
              onClick={() => {
                setExpanded(!expanded);
              }}
            >
              {expanded ? 'Hide mapped' : 'Mapped runs'}
            </button>
          )}
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              onShowLogs({ kind: 'task', taskRunId: run.id, label });
            }}
            aria-label={`Show logs of ${label}`}
          >
            Logs
          </button>
        </td>
      </tr>
      {hasChildren && expanded && run.task.slug !== null && (
        <tr className="row-children">
          <td colSpan={TASK_COLUMNS.length}>
            <MappedChildren flowRunId={run.flow_run_id} parent={run} slug={run.task.slug} pollInterval={pollInterval} now={now} onShowLogs={onShowLogs} />
          </td>
        </tr>
      )}
    </>
  );
}
