import { useQuery } from '@apollo/client/react';
import { FlowRunsByNameDocument } from '@runview/documents';
import { Link } from 'react-router-dom';
import { EmptyNotice, ErrorNotice, Loading } from '../components/Notices';
import { StateBadge } from '../components/StateBadge';
import { TableHead, type Column } from '../components/TableHead';
import { useRowKeys } from '../components/useRowKeys';
import { formatTimestamp } from '../format';

const BY_NAME_COLUMNS: readonly Column[] = [{ label: 'State' }, { label: 'Flow run' }, { label: 'Started' }, { label: 'Run id' }];

/** The runs with exactly this name: names are not unique, so every match is listed. */
export function RunsByName({ name, pollInterval }: { readonly name: string; readonly pollInterval: number }) {
  const { data, previousData, error, refetch } = useQuery(FlowRunsByNameDocument, {
    variables: { name },
    pollInterval,
  });
  const onRowKey = useRowKeys();
  const shown = data ?? previousData;
  if (!shown) {
    if (error) return <ErrorNotice error={error} what={`runs named “${name}”`} onRetry={() => void refetch()} />;
    return <Loading what={`runs named “${name}”`} />;
  }
  if (shown.flow_run.length === 0) {
    return (
      <EmptyNotice title={`No flow run is named “${name}”.`}>
        <p>Names are matched exactly, including case. Run names look like “woodoo-leopard”.</p>
        <Link to="/runs" className="button">
          Show all flow runs
        </Link>
      </EmptyNotice>
    );
  }
  return (
    <section aria-label={`Flow runs named ${name}`}>
      {error && <ErrorNotice error={error} what="the latest matches" onRetry={() => void refetch()} />}
      <p className="muted summary">
        {shown.flow_run.length === 1 ? 'One flow run' : `${shown.flow_run.length} flow runs`} named “{name}”
      </p>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Flow runs named {name}</caption>
          <TableHead columns={BY_NAME_COLUMNS} />
          <tbody onKeyDown={onRowKey}>
            {shown.flow_run.map((run) => (
              <tr key={run.id}>
                <td>
                  <StateBadge state={run.state} />
                </td>
                <th scope="row" className="cell-name">
                  <Link to={`/runs/${run.id}`} data-row-link>
                    {name}
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
