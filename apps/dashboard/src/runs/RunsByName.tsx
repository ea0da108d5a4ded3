import { useQuery } from '@apollo/client/react';
import { byNameCloseness, flowRunFilter, type NameMatch } from '@runview/core';
import { FlowRunsDocument } from '@runview/documents';
import { Link } from 'react-router-dom';
import { EmptyNotice, ErrorNotice, Loading } from '../components/Notices';
import { StateBadge } from '../components/StateBadge';
import { TableHead, type Column } from '../components/TableHead';
import { useRowKeys } from '../components/useRowKeys';
import { formatTimestamp } from '../format';

const BY_NAME_COLUMNS: readonly Column[] = [{ label: 'State' }, { label: 'Flow run' }, { label: 'Started' }, { label: 'Run id' }];

/** How many matches a name search lists. */
const MATCH_LIMIT = 100;

/**
 * The runs found by a name: by default every run whose name contains it (any case, as Prefect's
 * UI searches), those named exactly so first; `exact` for the runs named exactly so (names are
 * not unique, so every match is listed).
 */
export function RunsByName({ name, pollInterval, match = 'search' }: { readonly name: string; readonly pollInterval: number; readonly match?: NameMatch }) {
  const { data, previousData, error, refetch } = useQuery(FlowRunsDocument, {
    variables: { filter: flowRunFilter({ name, nameMatch: match }), limit: MATCH_LIMIT, offset: 0 },
    pollInterval,
  });
  const onRowKey = useRowKeys();
  const shown = data ?? previousData;
  if (!shown) {
    if (error) return <ErrorNotice error={error} what={`runs named “${name}”`} onRetry={() => void refetch()} />;
    return <Loading what={`runs named “${name}”`} />;
  }
  const runs = byNameCloseness(shown.flow_run, name);
  if (runs.length === 0) {
    return (
      <EmptyNotice title={match === 'exact' ? `No flow run is named “${name}”.` : `No flow run name contains “${name}”.`}>
        <p>
          {match === 'exact' ? 'Names are matched exactly, including case.' : 'Any part of a name finds it, in any case.'} Run names look like “woodoo-leopard”.
        </p>
        <Link to="/runs" className="button">
          Show all flow runs
        </Link>
      </EmptyNotice>
    );
  }
  const total = shown.flow_run_aggregate.aggregate?.count ?? runs.length;
  const what = match === 'exact' ? `named “${name}”` : `whose name contains “${name}”`;
  return (
    <section aria-label={`Flow runs ${what}`}>
      {error && <ErrorNotice error={error} what="the latest matches" onRetry={() => void refetch()} />}
      <p className="muted summary">
        {total === 1 ? 'One flow run' : `${String(total)} flow runs`} {what}
        {total > runs.length ? ` (the newest ${String(runs.length)} shown)` : ''}
      </p>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Flow runs {what}</caption>
          <TableHead columns={BY_NAME_COLUMNS} />
          <tbody onKeyDown={onRowKey}>
            {runs.map((run) => (
              <tr key={run.id}>
                <td>
                  <StateBadge state={run.state} />
                </td>
                <th scope="row" className="cell-name">
                  <Link to={`/runs/${run.id}`} data-row-link>
                    {run.name ?? run.id}
                  </Link>
                </th>
                <td className="nowrap">{formatTimestamp(run.start_time)}</td>
                <td className="mono muted">{run.id}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
