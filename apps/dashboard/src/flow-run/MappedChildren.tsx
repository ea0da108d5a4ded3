import { useQuery } from '@apollo/client/react';
import { MappedTaskRunsDocument } from '@runview/documents';
import { useState } from 'react';
import { ErrorNotice, Loading } from '../components/Notices';
import { StateBadge } from '../components/StateBadge';
import { TableHead, type Column } from '../components/TableHead';
import { formatRunDuration, formatTimestamp } from '../format';
import type { LogSource } from '../maps/logs';
import { taskRunLabel, type TaskRunRow } from './taskRuns';

const PAGE_SIZE = 25;
const CHILD_COLUMNS: readonly Column[] = [
  { label: 'Map index', numeric: true },
  { label: 'State' },
  { label: 'Started' },
  { label: 'Duration', numeric: true },
  { label: 'Actions', hidden: true },
];

interface MappedChildrenProps {
  readonly flowRunId: string;
  readonly parent: TaskRunRow;
  readonly slug: string;
  readonly pollInterval: number;
  readonly now: number;
  readonly onShowLogs: (source: LogSource) => void;
}

/** One page of a mapped task's children in map-index order, paged on the map index. */
export function MappedChildren({ flowRunId, parent, slug, pollInterval, now, onShowLogs }: MappedChildrenProps) {
  // The map index each page starts after: a stack, so "previous" needs no offset.
  const [cursors, setCursors] = useState<readonly number[]>([-1]);
  const afterMapIndex = cursors.at(-1) ?? -1;
  const { data, previousData, error, refetch } = useQuery(MappedTaskRunsDocument, {
    variables: { flowRunId, slug, afterMapIndex, limit: PAGE_SIZE },
    pollInterval,
  });
  const shown = data ?? previousData;
  if (!shown) {
    return error ? <ErrorNotice error={error} what="mapped task runs" onRetry={() => void refetch()} /> : <Loading what="mapped task runs" />;
  }
  const rows = shown.task_run;
  const last = rows.at(-1);
  return (
    <div className="mapped-children">
      <table className="table table--nested">
        <caption className="visually-hidden">Mapped runs of {taskRunLabel(parent)}</caption>
        <TableHead columns={CHILD_COLUMNS} />
        <tbody>
          {rows.map((child) => {
            const label = taskRunLabel(child);
            return (
              <tr key={child.id}>
                <th scope="row" className="num mono">
                  {child.map_index}
                </th>
                <td>
                  <StateBadge state={child.state} message={child.state_message} />
                </td>
                <td className="nowrap">{formatTimestamp(child.start_time)}</td>
                <td className="num nowrap">{formatRunDuration(child.start_time, child.end_time, now)}</td>
                <td className="actions">
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={`Show logs of ${label}`}
                    onClick={() => {
                      onShowLogs({ kind: 'task', taskRunId: child.id, label });
                    }}
                  >
                    Logs
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <nav className="pager" aria-label={`Pages of mapped runs of ${taskRunLabel(parent)}`}>
        <span className="pager__position">{rows.length === 0 ? 'No mapped runs yet' : `Map index ${rows[0]?.map_index ?? 0}–${last?.map_index ?? 0}`}</span>
        <button
          type="button"
          className="button"
          disabled={cursors.length === 1}
          onClick={() => {
            setCursors(cursors.slice(0, -1));
          }}
        >
          ‹ Previous
        </button>
        <button
          type="button"
          className="button"
          disabled={rows.length < PAGE_SIZE || last === undefined}
          onClick={() => {
            if (last) setCursors([...cursors, last.map_index]);
          }}
        >
          Next ›
        </button>
      </nav>
    </div>
  );
}
