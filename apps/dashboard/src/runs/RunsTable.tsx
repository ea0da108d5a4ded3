import { useQuery } from '@apollo/client/react';
import { flowRunSummaryOf } from '@runview/core';
import { FlowRunsDocument } from '@runview/documents';
import { Link } from 'react-router-dom';
import { EmptyNotice, ErrorNotice, Loading } from '../components/Notices';
import { Pager } from '../components/Pager';
import { StateBadge } from '../components/StateBadge';
import { useRowKeys } from '../components/useRowKeys';
import { TableHead, type Column } from '../components/TableHead';
import { formatRunDuration, formatTimestamp, shortId } from '../format';
import { flowRunFilter, type RunsCriteria } from './filter';

export const RUNS_PAGE_SIZE = 25;
const RUN_COLUMNS: readonly Column[] = [
  { label: 'State' },
  { label: 'Flow run' },
  { label: 'Flow' },
  { label: 'Scheduled' },
  { label: 'Started' },
  { label: 'Duration', numeric: true },
  { label: 'Run id' },
];

interface RunsTableProps {
  readonly criteria: RunsCriteria;
  readonly offset: number;
  /** 0 stops the refresh. */
  readonly pollInterval: number;
  readonly onOffset: (offset: number) => void;
  readonly onClearFilters: () => void;
}

/** One page of flow runs, newest first, with the total for the pager. */
export function RunsTable({ criteria, offset, pollInterval, onOffset, onClearFilters }: RunsTableProps) {
  const { data, previousData, error, loading, refetch } = useQuery(FlowRunsDocument, {
    variables: { filter: flowRunFilter(criteria), limit: RUNS_PAGE_SIZE, offset },
    pollInterval,
  });
  const onRowKey = useRowKeys();
  const shown = data ?? previousData;

  if (!shown) {
    if (error) return <ErrorNotice error={error} what="flow runs" onRetry={() => void refetch()} />;
    return <Loading what="flow runs" />;
  }
  const total = shown.flow_run_aggregate.aggregate?.count ?? 0;
  const filtered = criteria.state !== undefined || criteria.flowGroupId !== undefined;

  return (
    <section aria-label="Flow runs" aria-busy={loading}>
      {error && <ErrorNotice error={error} what="the latest flow runs" onRetry={() => void refetch()} />}
      {shown.flow_run.length === 0 ? (
        filtered ? (
          <EmptyNotice title="No flow runs match these filters.">
            <button type="button" className="button" onClick={onClearFilters}>
              Clear filters
            </button>
          </EmptyNotice>
        ) : (
          <EmptyNotice title="No flow runs yet.">
            <p>Runs appear here as soon as an agent or a script creates them; this page refreshes on its own.</p>
          </EmptyNotice>
        )
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Flow runs, newest first</caption>
            <TableHead columns={RUN_COLUMNS} />
            <tbody onKeyDown={onRowKey}>
              {shown.flow_run.map(flowRunSummaryOf).map((run) => (
                <tr key={run.flowRunId}>
                  <td>
                    <StateBadge state={run.state} message={run.stateMessage} />
                  </td>
                  <th scope="row" className="cell-name">
                    <Link to={`/runs/${run.flowRunId}`} data-row-link>
                      {run.name ?? run.flowRunId}
                    </Link>
                  </th>
                  <td>
                    <span className="cell-flow">{run.flowName}</span> <span className="muted">· {run.projectName}</span>
                  </td>
                  <td className="nowrap">{formatTimestamp(run.scheduledStartTime)}</td>
                  <td className="nowrap">{formatTimestamp(run.startTime)}</td>
                  <td className="num nowrap">{formatRunDuration(run.startTime, run.endTime)}</td>
                  <td className="mono muted" title={run.flowRunId}>
                    {shortId(run.flowRunId)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {total > 0 && <Pager offset={offset} limit={RUNS_PAGE_SIZE} total={total} onChange={onOffset} label="flow runs" />}
    </section>
  );
}
