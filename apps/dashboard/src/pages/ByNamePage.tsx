import { useQuery } from '@apollo/client/react';
import { FlowRunsByNameDocument } from '@runview/documents';
import { Link, Navigate, useParams } from 'react-router-dom';
import { ErrorNotice, Loading } from '../components/Notices';
import { RunsByName } from '../runs/RunsByName';
import { NotFoundPage } from './NotFoundPage';

/** `/runs/by-name/<name>`: straight to the run when the name is unique, else every match. */
export function ByNamePage() {
  const name = useParams()['name'] ?? '';
  const { data, error, refetch } = useQuery(FlowRunsByNameDocument, { variables: { name } });
  if (!data) {
    return (
      <main className="page">
        {error ? <ErrorNotice error={error} what={`the run named “${name}”`} onRetry={() => void refetch()} /> : <Loading what={`the run named “${name}”`} />}
      </main>
    );
  }
  const [only, ...others] = data.flow_run;
  if (only === undefined) {
    return <NotFoundPage title="Flow run not found" detail={`No flow run is named “${name}”. Names are matched exactly.`} />;
  }
  if (others.length === 0) return <Navigate to={`/runs/${only.id}`} replace />;
  return (
    <main className="page" aria-labelledby="by-name-title">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/runs">Flow runs</Link>
      </nav>
      <h1 id="by-name-title">Several runs are named “{name}”</h1>
      <RunsByName name={name} pollInterval={0} match="exact" />
    </main>
  );
}
